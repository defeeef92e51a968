import Foundation
import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct TensorSoftmaxTests {
    @Test func rowsSumToOne() {
        let logits = randomTensor([4, 5], seed: 61, lower: -3, upper: 3)
        let p = logits.softmax()
        #expect(p.shape == [4, 5])
        #expect(p.scalars.allSatisfy { $0 > 0 && $0 < 1 })
        expectClose(p.sum(alongAxes: [1]), Tensor.ones([4]), tolerance: 1e-6)
        // Against the textbook formula.
        for r in 0..<4 {
            let row = (0..<5).map { logits[r, $0] }
            let total = row.map { Foundation.exp($0) }.reduce(0, +)
            for c in 0..<5 { #expect(abs(p[r, c] - Foundation.exp(row[c]) / total) < 1e-6) }
        }
    }

    @Test func stableForExtremeLogits() {
        let logits = Tensor(shape: [2, 3], scalars: [1000, 0, -1000, -1000, -1000, -1000])
        let p = logits.softmax()
        #expect(p.scalars.allSatisfy { $0.isFinite })
        expectClose(p, Tensor(shape: [2, 3], scalars: [1, 0, 0, 1.0 / 3, 1.0 / 3, 1.0 / 3]))
        let logP = logits.logSoftmax()
        #expect(logP.scalars.allSatisfy { $0.isFinite })
        expectClose(
            logP, Tensor(shape: [2, 3], scalars: [0, -1000, -2000, -1.0986123, -1.0986123, -1.0986123]), tolerance: 1e-4
        )
    }

    @Test func logSoftmaxIsLogOfSoftmax() {
        let logits = randomTensor([3, 4], seed: 62, lower: -4, upper: 4)
        expectClose(logits.logSoftmax(), logits.softmax().log(), tolerance: 1e-5)
        // Along the last axis of a rank-3 tensor.
        let cube = randomTensor([2, 2, 3], seed: 63)
        expectClose(cube.logSoftmax(), cube.softmax().log(), tolerance: 1e-5)
        expectClose(cube.softmax().sum(alongAxes: [2]), Tensor.ones([2, 2]), tolerance: 1e-6)
    }

    @Test func gradients() {
        let logits = randomTensor([3, 4], seed: 64, lower: -2, upper: 2)
        expectGradientsMatchFiniteDifferences(at: [logits]) { weightedSum($0[0].softmax()) }
        expectGradientsMatchFiniteDifferences(at: [logits]) { weightedSum($0[0].logSoftmax()) }
        // Cross-entropy with one-hot targets: gradient is softmax − target.
        let target = Tensor.oneHot([0, 3, 1], classCount: 4)
        let (_, gradients) = valueWithGradients(at: [logits]) { -($0[0].logSoftmax() * target).sum() }
        expectClose(gradients[0], logits.softmax() - target, tolerance: 1e-6)
        let cube = randomTensor([2, 2, 3], seed: 65)
        expectGradientsMatchFiniteDifferences(at: [cube]) { weightedSum($0[0].softmax()) }
        expectGradientsMatchFiniteDifferences(at: [cube]) { weightedSum($0[0].logSoftmax()) }
    }
}
