import Foundation
import MixupNN
import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct ActivationsTests {
    private func run(_ layer: some Layer, _ x: Tensor) -> Tensor {
        var context = ForwardContext.inference
        return layer(x, context: &context)
    }

    @Test func valuesMatchDefinitions() {
        let x = Tensor([-2, -0.5, 0.5, 3])
        #expect(run(ReLU(), x).scalars == [0, 0, 0.5, 3])
        expectClose(run(LeakyReLU(slope: 0.1), x).scalars, [-0.2, -0.05, 0.5, 3])
        expectClose(run(Tanh(), x).scalars, x.scalars.map { Foundation.tanh($0) })
        expectClose(run(Sigmoid(), x).scalars, x.scalars.map { 1 / (1 + Foundation.exp(-$0)) })
        #expect(LeakyReLU().slope == 0.01)
    }

    @Test func gradientsMatchFiniteDifferences() {
        // An even count of grid values centred on 0 keeps every value ≥ 0.05 away from the ReLU kink.
        let x = distinctTensor([3, 4], seed: 1)
        expectLayerGradientsMatchFiniteDifferences(ReLU(), input: x)
        expectLayerGradientsMatchFiniteDifferences(LeakyReLU(slope: 0.2), input: x)
        expectLayerGradientsMatchFiniteDifferences(Tanh(), input: x)
        expectLayerGradientsMatchFiniteDifferences(Sigmoid(), input: x)
    }

    @Test func nanPropagatesThroughEveryActivationAndPooling() {
        // PyTorch semantics: NaN in, NaN out. A ReLU that maps NaN to 0 hides corrupt data behind a finite loss.
        let x = Tensor([-1, .nan, 2, -.infinity])
        for layer: any Layer in [ReLU(), LeakyReLU(slope: 0.1), Tanh(), Sigmoid()] {
            let y = run(layer, x)
            #expect(y.scalars[1].isNaN, "\(type(of: layer)) maps NaN to \(y.scalars[1])")
            #expect(y.scalars[2].isFinite)
        }
        #expect(run(ReLU(), x).scalars[3] == 0)
        #expect(x.clamped(to: -1, 1).scalars[1].isNaN)
        #expect(x.abs().scalars[1].isNaN)
        // Max pooling: the fast 2×2 path and the general path, with NaN in the first and in a later position.
        for position in 0..<4 {
            var values: [Float] = [1, 2, 3, 4]
            values[position] = .nan
            let image = Tensor(shape: [1, 1, 2, 2], scalars: values)
            #expect(run(MaxPool2D(kernelSize: 2), image).scalars[0].isNaN, "NaN at \(position) lost by 2×2 pool")
            #expect(
                image.maxPool2d(kernelSize: 2, stride: 1, padding: 1).scalars.contains { $0.isNaN },
                "NaN at \(position) lost by padded pool")
        }
    }

    @Test func nanInputGivesNaNLossNotAFiniteOne() {
        var generator = SeededGenerator(seed: 3)
        let model = Sequential([Linear(inputSize: 3, outputSize: 4, using: &generator), ReLU()])
        let input = Tensor(shape: [2, 3], scalars: [0.5, .nan, 1, 0.2, 0.1, -0.3])
        var context = ForwardContext.inference
        let loss = softmaxCrossEntropy(logits: model(input, context: &context), labels: [0, 1])
        #expect(loss.scalars[0].isNaN)
    }
}
