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
}
