import Foundation
import MixupRunner
import Testing

@Suite struct ResultTableTests {
    /// A real (tiny) training result, with or without a test set.
    static func result(withTest: Bool) throws -> TrainingResult {
        var generator = SeededGenerator(seed: 1)
        let data = SyntheticData.twoMoons(pointsPerClass: 10, noise: 0.1, using: &generator)
        let model = Models.mlp(inputSize: 2, hiddenSizes: [4], classCount: 2, using: &generator)
        let trainer = Trainer(
            model: model, objective: SupervisedObjective(regularizer: .erm),
            optimizer: SGD(parameters: model.allParameters, learningRate: 0.1), schedule: ConstantLearningRate(0.1),
            trainingSet: data, testSet: withTest ? data : nil,
            configuration: TrainerConfiguration(epochs: 1, batchSize: 10, progress: .silent))
        return try trainer.run()
    }

    @Test func rendersAnAlignedRowPerStrategy() throws {
        let (a, b) = (try Self.result(withTest: true), try Self.result(withTest: false))
        let text = ResultTable(rows: [("erm", a), ("a-much-longer-strategy", b)]).render()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 4)
        #expect(
            lines[0].hasPrefix("strategy") && lines[0].contains("train acc") && lines[0].contains("test error")
                && lines[0].contains("test NLL") && lines[0].hasSuffix("seconds"))
        #expect(lines[1].allSatisfy { $0 == "-" || $0 == " " })
        #expect(Set(lines.map(\.count)).count == 1, "every line has the same width:\n\(text)")
        #expect(lines[2].hasPrefix("erm "))
        #expect(lines[3].hasPrefix("a-much-longer-strategy"))
        let test = try #require(a.test)
        #expect(lines[2].contains(String(format: "%.2f%%", 100 * test.error)))
        #expect(lines[2].contains(String(format: "%.4f", test.negativeLogLikelihood)))
        #expect(lines[2].contains(String(format: "%.2f%%", 100 * a.reports.last!.trainAccuracy)))
        // Without a test set the test columns show "-".
        let cells = lines[3].split(separator: " ").map(String.init)
        #expect(cells.count == 5 && cells[2] == "-" && cells[3] == "-", "\(cells)")
    }

    @Test func emptyTableHasOnlyTheHeader() {
        let lines = ResultTable(rows: []).render().split(separator: "\n")
        #expect(lines.count == 2)
    }
}
