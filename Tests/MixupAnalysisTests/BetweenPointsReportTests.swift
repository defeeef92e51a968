import Foundation
import MixupKit
import Testing

@Suite struct BetweenPointsReportTests {
    @Test func measuresEveryLambdaWithoutTouchingTheWeights() throws {
        var generator = SeededGenerator(seed: 8)
        let model = Models.mlp(inputSize: 2, hiddenSizes: [8], classCount: 3, using: &generator)
        let data = SyntheticData.gaussianBlobs(pointsPerClass: 10, classCount: 3, using: &generator)
        let before = model.allParameters.map(\.value.scalars)
        let report = try BetweenPointsReport.measure(
            model: model, on: data, lambdas: [0, 0.5, 1], pairCount: 20, using: &generator)
        #expect(report.points.map(\.lambda) == [0, 0.5, 1])
        #expect(report.points.allSatisfy { $0.missRate >= 0 && $0.missRate <= 1 && $0.gradientNorm > 0 })
        #expect(model.allParameters.map(\.value.scalars) == before)
        #expect(model.allParameters.allSatisfy { $0.gradient == nil })
        #expect(throws: AnalysisError.self) {
            try BetweenPointsReport.measure(model: model, on: data, lambdas: [1.5], using: &generator)
        }
    }
}
