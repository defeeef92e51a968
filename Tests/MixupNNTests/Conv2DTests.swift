import MixupNN
import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct Conv2DTests {
    static let configurations: [(stride: Int, padding: Int, groups: Int)] = [
        (1, 0, 1), (2, 1, 1), (1, 1, 2), (2, 0, 2), (1, 1, 4),
    ]

    private func makeLayer(stride: Int, padding: Int, groups: Int, hasBias: Bool = true, seed: UInt64) -> Conv2D {
        var generator = SeededGenerator(seed: seed)
        let layer = Conv2D(
            inChannels: 4, outChannels: 4, kernelSize: 3, stride: stride, padding: padding, groups: groups,
            hasBias: hasBias, using: &generator)
        layer.bias?.value = randomTensor([4], seed: seed + 100)
        return layer
    }

    @Test func parameterShapesAndNames() {
        var generator = SeededGenerator(seed: 1)
        let layer = Conv2D(inChannels: 6, outChannels: 4, kernelSize: 3, groups: 2, using: &generator)
        #expect(layer.filter.value.shape == [4, 3, 3, 3])
        #expect(layer.bias?.value.shape == [4])
        #expect(layer.namedParameters().map(\.name) == ["weight", "bias"])
        #expect(layer.parameterCount == 4 * 3 * 9 + 4)
        let noBias = Conv2D(inChannels: 2, outChannels: 2, kernelSize: 1, hasBias: false, using: &generator)
        #expect(noBias.namedParameters().map(\.name) == ["weight"])
    }

    @Test(arguments: configurations)
    func forwardMatchesDirectConvolution(configuration: (stride: Int, padding: Int, groups: Int)) {
        let layer = makeLayer(
            stride: configuration.stride, padding: configuration.padding, groups: configuration.groups, seed: 10)
        let x = randomTensor([2, 4, 6, 5], seed: 11)
        var context = ForwardContext.inference
        let y = layer(x, context: &context)
        let expected = naiveConv2d(
            x, layer.filter.value, bias: layer.bias?.value, stride: configuration.stride,
            padding: configuration.padding, groups: configuration.groups)
        expectClose(y, expected, tolerance: 1e-4)
    }

    @Test func outputShapeFollowsFormula() {
        let layer = makeLayer(stride: 2, padding: 1, groups: 1, seed: 12)
        var context = ForwardContext.inference
        // (7 + 2 − 3) / 2 + 1 = 4 and (4 + 2 − 3) / 2 + 1 = 2.
        #expect(layer(randomTensor([3, 4, 7, 4], seed: 13), context: &context).shape == [3, 4, 4, 2])
    }

    @Test(arguments: configurations)
    func gradientsMatchFiniteDifferences(configuration: (stride: Int, padding: Int, groups: Int)) {
        let layer = makeLayer(
            stride: configuration.stride, padding: configuration.padding, groups: configuration.groups, seed: 20)
        expectLayerGradientsMatchFiniteDifferences(layer, input: randomTensor([2, 4, 5, 5], seed: 21))
    }

    @Test func gradientsWithoutBiasMatchFiniteDifferences() {
        let layer = makeLayer(stride: 1, padding: 1, groups: 1, hasBias: false, seed: 30)
        expectLayerGradientsMatchFiniteDifferences(layer, input: randomTensor([1, 4, 4, 4], seed: 31))
    }
}
