import Foundation
import MixupNN
import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct LossesTests {
    /// Rows of probabilities from a seed (a softmax of random logits).
    private func probabilityRows(_ rows: Int, _ classes: Int, seed: UInt64) -> Tensor {
        randomTensor([rows, classes], seed: seed, scale: 1.5).softmax()
    }

    // MARK: softmax cross-entropy

    @Test(arguments: [2, 3, 10])
    func crossEntropyOfUniformLogitsIsLogClassCount(classes: Int) {
        let logits = Tensor.filled([4, classes], with: 0.7)
        let byLabels = softmaxCrossEntropy(logits: logits, labels: [0, 1, 1, classes - 1])
        #expect(abs(byLabels.scalar - Foundation.log(Float(classes))) < 1e-5)
        let bySoftTargets = softmaxCrossEntropy(logits: logits, softTargets: probabilityRows(4, classes, seed: 1))
        #expect(abs(bySoftTargets.scalar - Foundation.log(Float(classes))) < 1e-5)
    }

    @Test func crossEntropyMatchesHandComputation() {
        let logits = Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, 0, 5])
        let loss = softmaxCrossEntropy(logits: logits, labels: [2, 0])
        let row0 = -Foundation.log(
            Foundation.exp(3.0) / (Foundation.exp(1.0) + Foundation.exp(2.0) + Foundation.exp(3.0)))
        let row1 = -Foundation.log(1 / (2 + Foundation.exp(5.0)))
        #expect(abs(Double(loss.scalar) - (row0 + row1) / 2) < 1e-5)
        // Large logits stay finite (log-sum-exp is shifted).
        let huge = softmaxCrossEntropy(logits: Tensor(shape: [1, 2], scalars: [1000, 0]), labels: [1])
        #expect(abs(huge.scalar - 1000) < 1e-2)
    }

    @Test func labelsAreOneHotSoftTargets() {
        let logits = randomTensor([5, 4], seed: 2)
        let labels = [3, 0, 2, 2, 1]
        let a = softmaxCrossEntropy(logits: logits, labels: labels)
        let b = softmaxCrossEntropy(logits: logits, softTargets: .oneHot(labels, classCount: 4))
        #expect(abs(a.scalar - b.scalar) < 1e-6)
    }

    @Test(arguments: [0.0, 0.3, 0.77, 1.0])
    func softTargetCrossEntropyIsLinearInTheTarget(lambda: Float) {
        let logits = randomTensor([6, 5], seed: 3)
        let a = Tensor.oneHot([0, 1, 2, 3, 4, 0], classCount: 5)
        let b = probabilityRows(6, 5, seed: 4)
        let mixed = a * lambda + b * (1 - lambda)
        let lhs = softmaxCrossEntropy(logits: logits, softTargets: mixed).scalar
        let rhs =
            lambda * softmaxCrossEntropy(logits: logits, softTargets: a).scalar
            + (1 - lambda) * softmaxCrossEntropy(logits: logits, softTargets: b).scalar
        #expect(abs(lhs - rhs) < 1e-5)
    }

    @Test func crossEntropyGradientIsSoftmaxMinusTargetOverBatch() {
        let logits = randomTensor([4, 3], seed: 5)
        let targets = probabilityRows(4, 3, seed: 6)
        let (_, gradients) = valueWithGradients(at: [logits, targets]) {
            softmaxCrossEntropy(logits: $0[0], softTargets: $0[1])
        }
        expectClose(gradients[0], (logits.softmax() - targets) / 4)
        // Targets carry no gradient.
        #expect(gradients[1].scalars.allSatisfy { $0 == 0 })
        expectGradientsMatchFiniteDifferences(at: [logits]) { softmaxCrossEntropy(logits: $0[0], softTargets: targets) }
        expectGradientsMatchFiniteDifferences(at: [logits]) {
            softmaxCrossEntropy(logits: $0[0], labels: [2, 0, 1, 1])
        }
    }

    // MARK: binary cross-entropy

    @Test func binaryCrossEntropyMatchesHandComputation() {
        let p = Tensor(shape: [2, 2], scalars: [0.8, 0.3, 0.5, 0.9])
        let t = Tensor(shape: [2, 2], scalars: [1, 0, 0.25, 0])
        let expected =
            -(Foundation.log(0.8) + Foundation.log(0.7) + (0.25 * Foundation.log(0.5) + 0.75 * Foundation.log(0.5))
            + Foundation.log(0.1)) / 4
        #expect(abs(Double(binaryCrossEntropy(probabilities: p, targets: t).scalar) - expected) < 1e-5)
    }

    @Test func binaryCrossEntropyIsFiniteAtSaturatedProbabilities() {
        let p = Tensor([0, 1, 0, 1])
        let t = Tensor([0, 1, 1, 0])
        let loss = binaryCrossEntropy(probabilities: p, targets: t).scalar
        #expect(loss.isFinite)
        #expect(loss > 5)  // two confident mistakes
        let perfect = binaryCrossEntropy(probabilities: Tensor([0, 1]), targets: Tensor([0, 1])).scalar
        #expect(perfect >= 0 && perfect < 1e-5)
    }

    @Test func binaryCrossEntropyGradientsMatchFiniteDifferences() {
        let p = randomTensor([3, 4], seed: 7).sigmoid().clamped(to: 0.1, 0.9)
        var generator = SeededGenerator(seed: 8)
        let t = Tensor.uniform([3, 4], using: &generator)
        let (_, gradients) = valueWithGradients(at: [p, t]) { binaryCrossEntropy(probabilities: $0[0], targets: $0[1]) }
        let expected = (p - t) / (p * (1 - p)) / 12
        expectClose(gradients[0], expected, tolerance: 1e-4)
        #expect(gradients[1].scalars.allSatisfy { $0 == 0 })
        expectGradientsMatchFiniteDifferences(at: [p], step: 1e-3) {
            binaryCrossEntropy(probabilities: $0[0], targets: t)
        }
        // Through a sigmoid, the gradient with respect to the logits is (σ(z) − t) / n.
        let z = randomTensor([3, 4], seed: 9)
        let (_, logitGradients) = valueWithGradients(at: [z]) {
            binaryCrossEntropy(probabilities: $0[0].sigmoid(), targets: t)
        }
        expectClose(logitGradients[0], (z.sigmoid() - t) / 12, tolerance: 1e-5)
    }

    // MARK: mean squared error

    @Test func meanSquaredErrorValueAndGradient() {
        let predictions = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let targets = Tensor(shape: [2, 2], scalars: [0, 2, 5, 3.5])
        let loss = meanSquaredError(predictions: predictions, targets: targets)
        #expect(abs(loss.scalar - (1 + 0 + 4 + 0.25) / 4) < 1e-6)
        let (_, gradients) = valueWithGradients(at: [predictions, targets]) {
            meanSquaredError(predictions: $0[0], targets: $0[1])
        }
        expectClose(gradients[0].scalars, [0.5, 0, -1, 0.25])
        #expect(gradients[1].scalars.allSatisfy { $0 == 0 })
        let otherTargets = randomTensor([3, 3], seed: 15)
        expectGradientsMatchFiniteDifferences(at: [randomTensor([3, 3], seed: 10)]) {
            meanSquaredError(predictions: $0[0], targets: otherTargets)
        }
    }

    // MARK: KL divergence

    @Test func klDivergenceIsZeroAtTheTargetAndMatchesCrossEntropyMinusEntropy() {
        let logits = randomTensor([4, 5], seed: 11)
        let matching = klDivergence(logits: logits, targetProbabilities: logits.softmax()).scalar
        #expect(abs(matching) < 1e-5)

        let targets = probabilityRows(4, 5, seed: 12)
        let kl = klDivergence(logits: logits, targetProbabilities: targets).scalar
        let crossEntropy = softmaxCrossEntropy(logits: logits, softTargets: targets).scalar
        let entropy = -targets.scalars.map { $0 * Foundation.log($0) }.reduce(0, +) / 4
        #expect(kl > 0)
        #expect(abs(kl - (crossEntropy - entropy)) < 1e-4)
    }

    @Test func klDivergenceTreatsZeroTargetsAsZeroTerms() {
        // KL([1, 0] ‖ softmax([0, 0])) = log 2; KL([0.5, 0.5] ‖ softmax([ln 3, 0]) = [0.75, 0.25]) = ½ln(⅔) + ½ln 2.
        let logits = Tensor(shape: [2, 2], scalars: [0, 0, Foundation.log(3), 0])
        let targets = Tensor(shape: [2, 2], scalars: [1, 0, 0.5, 0.5])
        let expected = (Foundation.log(2.0) + 0.5 * Foundation.log(0.5 / 0.75) + 0.5 * Foundation.log(0.5 / 0.25)) / 2
        let kl = klDivergence(logits: logits, targetProbabilities: targets).scalar
        #expect(kl.isFinite)
        #expect(abs(Double(kl) - expected) < 1e-5)
    }

    @Test func klDivergenceGradientIsSoftmaxMinusTargetOverBatch() {
        let logits = randomTensor([3, 4], seed: 13)
        var targetScalars = probabilityRows(3, 4, seed: 14).scalars
        targetScalars[0] = 0  // a zero target entry
        targetScalars[1] = 0
        let rowSum = targetScalars[0..<4].reduce(0, +)
        for i in 0..<4 { targetScalars[i] /= rowSum }
        let targets = Tensor(shape: [3, 4], scalars: targetScalars)
        let (_, gradients) = valueWithGradients(at: [logits, targets]) {
            klDivergence(logits: $0[0], targetProbabilities: $0[1])
        }
        expectClose(gradients[0], (logits.softmax() - targets) / 3)
        #expect(gradients[1].scalars.allSatisfy { $0 == 0 })
        expectGradientsMatchFiniteDifferences(at: [logits]) {
            klDivergence(logits: $0[0], targetProbabilities: targets)
        }
    }
}
