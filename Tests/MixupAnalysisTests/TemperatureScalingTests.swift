import Foundation
import MixupKit
import Testing

@Suite struct TemperatureScalingTests {
    /// Logits of 8 for the predicted class, 0 elsewhere, right 70% of the time: confident far beyond its accuracy.
    func overconfident(count: Int, seed: UInt64) throws -> ModelPredictions {
        var generator = SeededGenerator(seed: seed)
        var logits: [Float] = []
        var labels: [Int] = []
        for _ in 0..<count {
            let label = Int.random(in: 0..<3, using: &generator)
            let predicted =
                generator.nextUnitDouble() < 0.7 ? label : (label + Int.random(in: 1..<3, using: &generator)) % 3
            logits += (0..<3).map { $0 == predicted ? 8 : 0 }
            labels.append(label)
        }
        return try ModelPredictions(logits: logits, labels: labels, classCount: 3)
    }

    @Test func scalingLowersTheNLLOfAnOverconfidentModel() throws {
        let scaling = try TemperatureScaling(
            validation: overconfident(count: 400, seed: 1), evaluation: overconfident(count: 400, seed: 2))
        #expect(scaling.temperature > 1)
        #expect(scaling.validationNegativeLogLikelihood[1] < scaling.validationNegativeLogLikelihood[0])
        #expect(scaling.after.negativeLogLikelihood < scaling.before.negativeLogLikelihood)
        #expect(scaling.after.expectedCalibrationError < scaling.before.expectedCalibrationError)
        // Dividing logits by a positive constant never changes the predicted class.
        #expect(scaling.after.accuracy == scaling.before.accuracy)
    }

    @Test func theFittedTemperatureMinimisesTheNLL() throws {
        let predictions = try overconfident(count: 300, seed: 3)
        let fitted = TemperatureScaling.fit(predictions)
        let best = predictions.negativeLogLikelihood(temperature: fitted)
        for factor in [0.8, 0.95, 1.05, 1.25] {
            #expect(best <= predictions.negativeLogLikelihood(temperature: fitted * factor) + 1e-9)
        }
    }
}
