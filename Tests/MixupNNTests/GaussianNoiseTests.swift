import MixupNN
import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct GaussianNoiseTests {
    @Test func offInEvaluation() {
        let layer = GaussianNoise(standardDeviation: 0.5)
        let input = randomTensor([8, 5], seed: 1)
        var context = ForwardContext(isTraining: false, generator: SeededGenerator(seed: 2))
        #expect(layer(input, context: &context).scalars == input.scalars)
        #expect(layer.inferring(input).scalars == input.scalars)
    }

    @Test func inTrainingAddsNoiseOfTheRequestedScaleReproducibly() {
        let layer = GaussianNoise(standardDeviation: 0.3)
        let input = Tensor.zeros([200, 50])
        var c1 = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 3))
        var c2 = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 3))
        let a = layer(input, context: &c1)
        let b = layer(input, context: &c2)
        #expect(a.scalars == b.scalars, "same seed, same noise")
        let mean = a.scalars.reduce(0, +) / Float(a.count)
        let std = (a.scalars.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(a.count)).squareRoot()
        #expect(abs(mean) < 0.02)
        #expect(abs(std - 0.3) < 0.02, "standard deviation \(std)")
    }

    @Test func gradientPassesThroughUnchanged() {
        let layer = GaussianNoise(standardDeviation: 1)
        let x = randomTensor([3, 4], seed: 5)
        let (_, gradients) = valueWithGradients(at: [x]) { inputs in
            var context = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 6))
            return (layer(inputs[0], context: &context) * Tensor.filled([3, 4], with: 2)).sum()
        }
        #expect(gradients[0].scalars == [Float](repeating: 2, count: 12))
    }

    @Test func zeroNoiseIsTheIdentityInTraining() {
        var context = ForwardContext(isTraining: true)
        let x = randomTensor([2, 3], seed: 7)
        #expect(GaussianNoise(standardDeviation: 0)(x, context: &context).scalars == x.scalars)
    }
}
