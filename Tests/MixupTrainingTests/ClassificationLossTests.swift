import Foundation
import MixupKit
import Testing

@Suite struct ClassificationLossTests {
    static var logits: Tensor { Tensor(shape: [2, 3], scalars: [2, -1, 0.5, -0.3, 0.8, 1.5]) }
    static var targets: MixedTargets {
        MixedTargets(
            original: .oneHot([0, 2], classCount: 3), partner: .oneHot([1, 1], classCount: 3), weights: [0.7, 0.4])
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

    @Test func softmaxCrossEntropyAgainstSoftTargets() {
        let value = Double(ClassificationLoss.softmaxCrossEntropy(logits: Self.logits, targets: Self.targets).scalar)
        var expected = 0.0
        for row in 0..<2 {
            let z = (0..<3).map { Double(Self.logits.scalars[row * 3 + $0]) }
            let logSum = Foundation.log(z.map(Foundation.exp).reduce(0, +))
            for c in 0..<3 { expected -= Double(Self.targets.soft.scalars[row * 3 + c]) * (z[c] - logSum) }
        }
        expected /= 2
        #expect(abs(value - expected) < 1e-5, "\(value) vs \(expected)")
    }

    @Test func binaryCrossEntropyOnSigmoidMeansOverEveryElement() {
        let value = Double(ClassificationLoss.binaryCrossEntropy(logits: Self.logits, targets: Self.targets).scalar)
        var expected = 0.0
        for i in 0..<6 {
            let p = Self.sigmoid(Double(Self.logits.scalars[i]))
            let t = Double(Self.targets.soft.scalars[i])
            expected -= t * Foundation.log(p) + (1 - t) * Foundation.log(1 - p)
        }
        expected /= 6
        #expect(abs(value - expected) < 1e-5, "\(value) vs \(expected)")
    }

    @Test func theTwoLossesDifferAndBothAreLinearInTheTarget() {
        for loss in ClassificationLoss.allCases {
            let mixed = Double(loss(logits: Self.logits, targets: Self.targets).scalar)
            let weighted = Double(
                Self.targets.weightedLoss { target in
                    // Per-sample loss of each row against `target`, via one-row batches.
                    let rows = (0..<2).map { row in
                        loss(
                            logits: Tensor(
                                shape: [1, 3], scalars: Array(Self.logits.scalars[(row * 3)..<(row * 3 + 3)])),
                            targets: MixedTargets(
                                unmixed: Tensor(
                                    shape: [1, 3], scalars: Array(target.scalars[(row * 3)..<(row * 3 + 3)])))
                        ).scalar
                    }
                    return Tensor(shape: [2], scalars: rows)
                }.scalar)
            #expect(abs(mixed - weighted) < 1e-5, "\(loss): \(mixed) vs \(weighted)")
        }
        let ce = ClassificationLoss.softmaxCrossEntropy(logits: Self.logits, targets: Self.targets).scalar
        let bce = ClassificationLoss.binaryCrossEntropy(logits: Self.logits, targets: Self.targets).scalar
        #expect(ce != bce)
        #expect(ClassificationLoss(rawValue: "binaryCrossEntropy") == .binaryCrossEntropy)
        #expect(ClassificationLoss.allCases.count == 2)
    }

    @Test func supervisedObjectiveUsesTheChosenLossAndGradientsReachTheModel() throws {
        let data = TrainingFixtures.moons(perClass: 4, seed: 1)
        let indices = Array(0..<8)
        for loss in ClassificationLoss.allCases {
            let model = TrainingFixtures.mlp(seed: 2)
            let objective = SupervisedObjective(regularizer: .erm, loss: loss)
            #expect(objective.lossFunction == loss && objective.name == "erm")
            let batch = TrainingBatch(
                inputs: data.inputs(at: indices), labels: data.labels(at: indices), classCount: 2, unlabelled: nil,
                epoch: 0,
                stepInEpoch: 0, globalStep: 0, totalSteps: 1)
            var context = ForwardContext(isTraining: true)
            var generator = SeededGenerator(seed: 3)
            let result = try objective.loss(model: model, batch: batch, context: &context, using: &generator)
            let logits = model.inferring(batch.inputs)
            #expect(
                abs(result.loss.scalar - loss(logits: logits, targets: MixedTargets(unmixed: batch.targets)).scalar)
                    < 1e-6)
            #expect(result.mixPoint == nil)
            result.loss.backward()
            #expect(model.allParameters.allSatisfy { $0.gradient != nil })
        }
    }
}
