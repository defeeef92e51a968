import Foundation
import MixupKit
import Testing
import _MixupTestSupport

@Suite struct ClassBalanceTermTests {
    /// KL of the batch's mean prediction from the prior, computed by hand in Double.
    static func expectedKL(_ logits: Tensor, prior: [Double]) -> Double {
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        var mean = [Double](repeating: 0, count: classes)
        for row in 0..<batch {
            let values = (0..<classes).map { Double(logits.scalars[row * classes + $0]) }
            let top = values.max()!
            let total = values.map { Foundation.exp($0 - top) }.reduce(0, +)
            for c in 0..<classes { mean[c] += Foundation.exp(values[c] - top) / total / Double(batch) }
        }
        return (0..<classes).map { mean[$0] * Foundation.log(mean[$0] / prior[$0]) }.reduce(0, +)
    }

    @Test func lossIsTheKLOfTheMeanPredictionFromThePrior() throws {
        var generator = SeededGenerator(seed: 3)
        let logits = Tensor.normal([8, 4], using: &generator).scaled(by: 2)
        let uniform = SemiSupervisedLosses.classBalance(logits: logits, prior: [0.25, 0.25, 0.25, 0.25]).scalar
        #expect(abs(Double(uniform) - Self.expectedKL(logits, prior: [0.25, 0.25, 0.25, 0.25])) < 1e-5)
        let skewed = SemiSupervisedLosses.classBalance(logits: logits, prior: [0.1, 0.2, 0.3, 0.4]).scalar
        #expect(abs(Double(skewed) - Self.expectedKL(logits, prior: [0.1, 0.2, 0.3, 0.4])) < 1e-5)
        // Zero when the predictions are balanced on average (two rows that mirror each other), positive otherwise.
        let balanced = Tensor(shape: [2, 2], scalars: [3, -1, -1, 3])
        #expect(abs(SemiSupervisedLosses.classBalance(logits: balanced, prior: [0.5, 0.5]).scalar) < 1e-6)
        let oneSided = Tensor(shape: [2, 2], scalars: [3, -1, 3, -1])
        #expect(SemiSupervisedLosses.classBalance(logits: oneSided, prior: [0.5, 0.5]).scalar > 0.3)
    }

    @Test func gradientMatchesFiniteDifferences() {
        var generator = SeededGenerator(seed: 4)
        let logits = Tensor.normal([5, 3], using: &generator)
        expectGradientsMatchFiniteDifferences(at: [logits]) {
            SemiSupervisedLosses.classBalance(logits: $0[0], prior: [0.2, 0.3, 0.5])
        }
    }

    /// The term on a model is the KL of its mean prediction from uniform (or the given prior), reaches the weights,
    /// and descending it alone spreads predictions that were piled on one class.
    @Test func descendingTheTermSpreadsPredictionsOverTheClasses() throws {
        var generator = SeededGenerator(seed: 5)
        let model = Models.mlp(inputSize: 4, hiddenSizes: [8], classCount: 3, using: &generator)
        let inputs = Tensor.normal([32, 4], using: &generator).shifted(by: 1)
        let term = try ClassBalanceTerm()
        #expect(term.name == "balance" && term.prior == nil)
        var context = ForwardContext(isTraining: true)
        let first = try term.loss(model: model, unlabelled: inputs, context: &context, using: &generator)
        #expect(
            abs(Double(first.scalar) - Self.expectedKL(model.inferring(inputs), prior: [1, 1, 1].map { $0 / 3 })) < 1e-5
        )
        let optimizer = SGD(parameters: model.allParameters, learningRate: 0.5)
        var last = first.scalar
        for _ in 0..<40 {
            var stepContext = ForwardContext(isTraining: true)
            let loss = try term.loss(model: model, unlabelled: inputs, context: &stepContext, using: &generator)
            optimizer.zeroGradients()
            loss.backward()
            #expect(model.allParameters.allSatisfy { $0.gradient?.scalars.contains { $0 != 0 } == true })
            optimizer.step()
            last = loss.scalar
        }
        #expect(last < first.scalar / 4, "balance loss \(first.scalar) → \(last)")
        let skewed = try ClassBalanceTerm(prior: [0.6, 0.2, 0.2])
        var skewedContext = ForwardContext(isTraining: true)
        let value = try skewed.loss(model: model, unlabelled: inputs, context: &skewedContext, using: &generator)
        #expect(abs(Double(value.scalar) - Self.expectedKL(model.inferring(inputs), prior: [0.6, 0.2, 0.2])) < 1e-5)
    }

    @Test func badPriorsAreRefusedNamingTheValue() throws {
        for (prior, text) in [
            ([Float]([0.5, 0, 0.5]), "0.0"), ([0.5, .nan, 0.5], "nan"), ([0.5, 0.6], "1.1"), ([], "empty"),
        ] {
            #expect {
                _ = try ClassBalanceTerm(prior: prior)
            } throws: { error in
                guard case TrainingError.invalidConfiguration(let message) = error else { return false }
                return message.contains(text)
            }
        }
        var generator = SeededGenerator(seed: 6)
        let model = Models.mlp(inputSize: 2, hiddenSizes: [4], classCount: 3, using: &generator)
        var context = ForwardContext(isTraining: true)
        #expect {
            _ = try ClassBalanceTerm(prior: [0.5, 0.5]).loss(
                model: model, unlabelled: Tensor.normal([4, 2], using: &generator), context: &context, using: &generator
            )
        } throws: { error in
            guard case TrainingError.invalidConfiguration(let message) = error else { return false }
            return message.contains("2 classes") && message.contains("3")
        }
    }
}
