import MixupNN
import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct LinearTests {
    @Test func forwardComputesXTimesWeightTransposedPlusBias() {
        var generator = SeededGenerator(seed: 1)
        let layer = Linear(inputSize: 3, outputSize: 2, using: &generator)
        layer.weight.value = Tensor(shape: [2, 3], scalars: [1, 2, 3, -1, 0, 0.5])
        layer.bias?.value = Tensor([0.5, -2])
        let x = Tensor(shape: [2, 3], scalars: [1, 0, -1, 2, 1, 4])
        var context = ForwardContext.inference
        let y = layer(x, context: &context)
        // Row 0: [1·1 + 0·2 − 1·3 + 0.5, −1 + 0 − 0.5 − 2]; row 1: [2 + 2 + 12 + 0.5, −2 + 0 + 2 − 2].
        expectClose(y, Tensor(shape: [2, 2], scalars: [-1.5, -3.5, 16.5, -2]))
    }

    @Test func parametersHavePyTorchLayoutAndNames() {
        var generator = SeededGenerator(seed: 2)
        let layer = Linear(inputSize: 4, outputSize: 3, using: &generator)
        #expect(layer.weight.value.shape == [3, 4])
        #expect(layer.bias?.value.shape == [3])
        #expect(layer.bias?.value.scalars == [0, 0, 0])
        #expect(layer.namedParameters().map(\.name) == ["weight", "bias"])
        #expect(layer.parameterCount == 15)

        let noBias = Linear(inputSize: 4, outputSize: 3, hasBias: false, using: &generator)
        #expect(noBias.bias == nil)
        #expect(noBias.namedParameters().map(\.name) == ["weight"])
        #expect(noBias.parameterCount == 12)
    }

    @Test func initializationIsSeededAndWithinKaimingUniformBound() {
        var a = SeededGenerator(seed: 3)
        var b = SeededGenerator(seed: 3)
        let first = Linear(inputSize: 24, outputSize: 10, using: &a)
        let second = Linear(inputSize: 24, outputSize: 10, using: &b)
        #expect(first.weight.value.scalars == second.weight.value.scalars)
        let bound = (6 / Float(24)).squareRoot()
        #expect(first.weight.value.scalars.allSatisfy { abs($0) <= bound })
        // Not degenerate: the draws spread over most of the interval.
        let largest = first.weight.value.scalars.map { abs($0) }.max() ?? 0
        #expect(largest > 0.8 * bound)
    }

    @Test func gradientsMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 4)
        let layer = Linear(inputSize: 5, outputSize: 3, using: &generator)
        layer.bias?.value = randomTensor([3], seed: 40)
        expectLayerGradientsMatchFiniteDifferences(layer, input: randomTensor([4, 5], seed: 41))
    }

    @Test func gradientsWithoutBiasMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 5)
        let layer = Linear(inputSize: 3, outputSize: 4, hasBias: false, using: &generator)
        expectLayerGradientsMatchFiniteDifferences(layer, input: randomTensor([2, 3], seed: 50))
    }

    @Test func gradientAccumulatesAcrossBackwardCalls() throws {
        var generator = SeededGenerator(seed: 6)
        let layer = Linear(inputSize: 2, outputSize: 2, using: &generator)
        let x = randomTensor([3, 2], seed: 60)
        var context = ForwardContext(isTraining: true)
        projected(layer(x, context: &context)).backward()
        let once = try #require(layer.weight.gradient)
        projected(layer(x, context: &context)).backward()
        let twice = try #require(layer.weight.gradient)
        expectClose(twice, once * 2)
        layer.weight.zeroGradient()
        #expect(layer.weight.gradient == nil)
    }
}
