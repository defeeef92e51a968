import Foundation
import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct TensorMathTests {
    @Test func forwardValues() {
        let x = Tensor([-2, -0.5, 0, 0.5, 2])
        expectClose(x.exp(), Tensor(x.scalars.map { Foundation.exp($0) }))
        expectClose(x.squared(), Tensor([4, 0.25, 0, 0.25, 4]))
        expectClose(x.relu(), Tensor([0, 0, 0, 0.5, 2]))
        expectClose(x.leakyRelu(slope: 0.1), Tensor([-0.2, -0.05, 0, 0.5, 2]))
        expectClose(x.abs(), Tensor([2, 0.5, 0, 0.5, 2]))
        expectClose(x.clamped(to: -1, 1), Tensor([-1, -0.5, 0, 0.5, 1]))
        expectClose(x.tanh(), Tensor(x.scalars.map { Foundation.tanh($0) }))
        expectClose(x.sigmoid(), Tensor(x.scalars.map { 1 / (1 + Foundation.exp(-$0)) }))
        let positive = Tensor([0.25, 1, 4])
        expectClose(positive.log(), Tensor(positive.scalars.map { Foundation.log($0) }))
        expectClose(positive.sqrt(), Tensor([0.5, 1, 2]))
        expectClose(positive.pow(1.5), Tensor([0.125, 1, 8]))
        expectClose(positive.pow(-1), Tensor([4, 1, 0.25]))
    }

    @Test func sigmoidIsStableForLargeInputs() {
        let y = Tensor([-1000, -100, 100, 1000]).sigmoid()
        #expect(y.scalars.allSatisfy { $0.isFinite })
        expectClose(y, Tensor([0, 0, 1, 1]))
    }

    @Test func smoothFunctionGradients() {
        let x = randomTensor([2, 3], seed: 21, lower: -1.5, upper: 1.5)
        let positive = randomTensor([2, 3], seed: 22, lower: 0.5, upper: 2)
        expectGradientsMatchFiniteDifferences(at: [x]) { weightedSum($0[0].exp()) }
        expectGradientsMatchFiniteDifferences(at: [positive]) { weightedSum($0[0].log()) }
        expectGradientsMatchFiniteDifferences(at: [positive]) { weightedSum($0[0].sqrt()) }
        expectGradientsMatchFiniteDifferences(at: [positive]) { weightedSum($0[0].pow(2.5)) }
        expectGradientsMatchFiniteDifferences(at: [positive]) { weightedSum($0[0].pow(-0.5)) }
        expectGradientsMatchFiniteDifferences(at: [x]) { weightedSum($0[0].squared()) }
        expectGradientsMatchFiniteDifferences(at: [x]) { weightedSum($0[0].sigmoid()) }
        expectGradientsMatchFiniteDifferences(at: [x]) { weightedSum($0[0].tanh()) }
    }

    @Test func piecewiseFunctionGradients() {
        let x = awayFromZero([3, 4], seed: 23)
        #expect(x.scalars.contains { $0 < 0 } && x.scalars.contains { $0 > 0 })
        expectGradientsMatchFiniteDifferences(at: [x]) { weightedSum($0[0].relu()) }
        expectGradientsMatchFiniteDifferences(at: [x]) { weightedSum($0[0].leakyRelu(slope: 0.2)) }
        expectGradientsMatchFiniteDifferences(at: [x]) { weightedSum($0[0].abs()) }
        // Values at least 0.05 from the clamp bounds ±0.6 (finite-difference step is 0.01).
        let c = Tensor([-1.1, -0.8, -0.3, 0.1, 0.4, 0.9])
        expectGradientsMatchFiniteDifferences(at: [c]) { weightedSum($0[0].clamped(to: -0.6, 0.6)) }
    }

    @Test func derivativeConventionsAtKinks() {
        let (_, gradients) = valueWithGradients(at: [Tensor([-1, 0, 2])]) { $0[0].relu().sum() + $0[0].abs().sum() }
        #expect(gradients[0].scalars == [-1, 0, 2])
        let (_, clampGradients) = valueWithGradients(at: [Tensor([-3, 0, 3])]) { $0[0].clamped(to: -1, 1).sum() }
        #expect(clampGradients[0].scalars == [0, 1, 0])
    }
}
