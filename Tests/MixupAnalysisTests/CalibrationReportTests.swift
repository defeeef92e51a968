import Foundation
import MixupKit
import Testing

@Suite struct CalibrationReportTests {
    // Four predictions, two classes; confidences 0.9 (right), 0.75 (wrong), 0.65 (right), 0.55 (wrong), each alone
    // in one of the 15 equal-width bins.
    let probabilities: [[Double]] = [[0.9, 0.1], [0.75, 0.25], [0.35, 0.65], [0.45, 0.55]]
    let labels = [0, 1, 1, 0]

    @Test func metricsEqualHandComputedValues() throws {
        let report = try CalibrationReport(probabilities: probabilities, labels: labels)
        #expect(report.count == 4)
        #expect(Swift.abs(report.accuracy - 0.5) < 1e-12)
        // ECE = mean |accuracy − confidence| = (0.1 + 0.75 + 0.35 + 0.55) / 4.
        #expect(Swift.abs(report.expectedCalibrationError - 0.4375) < 1e-12)
        #expect(Swift.abs(report.adaptiveCalibrationError - 0.4375) < 1e-12)
        #expect(Swift.abs(report.maximumCalibrationError - 0.75) < 1e-12)
        // Brier = (0.02 + 1.125 + 0.245 + 0.605) / 4.
        #expect(Swift.abs(report.brierScore - 0.49875) < 1e-12)
        let nll = -(log(0.9) + log(0.25) + log(0.65) + log(0.45)) / 4
        #expect(Swift.abs(report.negativeLogLikelihood - nll) < 1e-12)
        #expect(report.bins.count == 15)
        #expect(report.bins.map(\.count) == [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 1, 0])
    }

    @Test func equalMassBinsGroupBySortedConfidence() throws {
        // Two equal-mass bins: {0.55 wrong, 0.65 right} and {0.75 wrong, 0.9 right}:
        // 0.5·|0.5 − 0.6| + 0.5·|0.5 − 0.825| = 0.2125.
        let report = try CalibrationReport(probabilities: probabilities, labels: labels, binCount: 2)
        #expect(Swift.abs(report.adaptiveCalibrationError - 0.2125) < 1e-12)
    }

    @Test func logitsPathMatchesProbabilityPath() throws {
        let logits: [Float] = [2, 0, -1, 0.5, 1, 1, 3, -2, 0]
        let predictions = try ModelPredictions(logits: logits, labels: [0, 2, 1], classCount: 3)
        let fromLogits = try CalibrationReport(predictions: predictions)
        let rows = (0..<3).map { predictions.logProbabilities(row: $0, temperature: 1).map { exp($0) } }
        let fromProbabilities = try CalibrationReport(probabilities: rows, labels: [0, 2, 1])
        #expect(Swift.abs(fromLogits.negativeLogLikelihood - fromProbabilities.negativeLogLikelihood) < 1e-9)
        #expect(Swift.abs(fromLogits.brierScore - fromProbabilities.brierScore) < 1e-12)
    }

    @Test func badInputIsRejectedNamingTheValue() {
        #expect(throws: AnalysisError.self) { try CalibrationReport(probabilities: [[2, -1]], labels: [0]) }
        do {
            _ = try CalibrationReport(probabilities: [[0.5, 0.5]], labels: [3])
            Issue.record("a label outside the classes was accepted")
        } catch {
            #expect("\(error)".contains("label 3"))
        }
        #expect(throws: AnalysisError.self) { try CalibrationReport(probabilities: [], labels: []) }
        #expect(throws: AnalysisError.self) {
            try CalibrationReport(probabilities: [[0.5, 0.5]], labels: [0], binCount: 0)
        }
    }
}
