import MixupNN
import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct DropoutTests {
    private func apply(_ layer: Dropout, _ x: Tensor, seed: UInt64, isTraining: Bool = true) -> Tensor {
        var context = ForwardContext(isTraining: isTraining, generator: SeededGenerator(seed: seed))
        return layer(x, context: &context)
    }

    @Test func inferenceIsTheIdentity() {
        let x = randomTensor([8, 16], seed: 1)
        let layer = Dropout(probability: 0.5)
        #expect(apply(layer, x, seed: 3, isTraining: false).scalars == x.scalars)
        #expect(layer.inferring(x).scalars == x.scalars)
    }

    @Test func zeroProbabilityIsTheIdentityInTraining() {
        let x = randomTensor([4, 5], seed: 2)
        #expect(apply(Dropout(probability: 0), x, seed: 3).scalars == x.scalars)
    }

    @Test(arguments: [0.1, 0.3, 0.5, 0.8])
    func trainingDropsAboutPAndScalesSurvivors(probability: Double) {
        let x = Tensor.filled([100, 100], with: 2)
        let y = apply(Dropout(probability: probability), x, seed: 4)
        #expect(y.shape == x.shape)
        let dropped = y.scalars.filter { $0 == 0 }.count
        let fraction = Double(dropped) / Double(x.count)
        // Standard deviation of the fraction is at most 0.005 here; allow 4σ.
        #expect(abs(fraction - probability) < 0.02, "dropped \(fraction), expected \(probability)")
        let survivor = Float(2 / (1 - probability))
        #expect(y.scalars.allSatisfy { $0 == 0 || abs($0 - survivor) <= 1e-5 * survivor })
        // Inverted dropout keeps the expectation.
        let mean = y.scalars.reduce(0, +) / Float(y.count)
        #expect(abs(mean - 2) < 0.15)
    }

    @Test func sameSeedGivesSameMaskAndDifferentSeedsDiffer() {
        let x = randomTensor([10, 10], seed: 5)
        let layer = Dropout(probability: 0.5)
        let a = apply(layer, x, seed: 42)
        let b = apply(layer, x, seed: 42)
        let c = apply(layer, x, seed: 43)
        #expect(a.scalars == b.scalars)
        #expect(a.scalars != c.scalars)
    }

    @Test func consecutiveCallsAdvanceTheContextGenerator() {
        let x = Tensor.ones([10, 10])
        let layer = Dropout(probability: 0.5)
        var context = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 9))
        let first = layer(x, context: &context)
        let second = layer(x, context: &context)
        #expect(first.scalars != second.scalars)
        #expect(context.generator != SeededGenerator(seed: 9))
    }

    @Test func gradientIsTheScaledMask() throws {
        let layer = Dropout(probability: 0.25)
        let x = randomTensor([6, 7], seed: 6)
        let mask = apply(layer, Tensor.ones(x.shape), seed: 11)
        let (value, gradients) = valueWithGradients(at: [x]) { inputs in
            var context = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 11))
            return layer(inputs[0], context: &context).sum()
        }
        expectClose(gradients[0], mask)
        #expect(abs(value.scalar - (x * mask).sum().scalar) < 1e-4)
        expectGradientsMatchFiniteDifferences(at: [x]) { inputs in
            var context = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 11))
            return projected(layer(inputs[0], context: &context))
        }
    }
}
