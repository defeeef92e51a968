import Foundation
import Testing

@testable import MixupReport

@Suite struct RunFolderTests {
    @Test func readsComparisonRunsInSummaryOrderWithCheckpointMetadata() throws {
        let root = ReportFixtures.temporaryDirectory()
        try ReportFixtures.comparisonRun(in: root, seed: 2)
        let run = try RunFolder(path: root)
        #expect(run.strategies.map(\.name) == ["erm", "manifold-mixup"])
        #expect(run.strategies.map(\.relativePath) == ["erm", "manifold-mixup"])
        #expect(run.strategies[1].checkpointMetadata["seed"] == "2")
        #expect(run.strategies[0].metrics.map(\.epoch) == [1, 2, 3, 4])
        #expect(run.recipe == "spirals" && run.seed == "2")
        #expect(run.figures.map(\.relativePath) == ["decision_boundaries.svg"])
    }

    @Test func aCorruptMetricsLineIsAnErrorNamingFileAndLine() throws {
        let root = ReportFixtures.temporaryDirectory()
        let path = (root as NSString).appendingPathComponent("metrics.jsonl")
        try ReportFixtures.write(
            ReportFixtures.line(epoch: 1, loss: 1, accuracy: 0.5, testError: nil, nll: nil) + "{\"epoch\": 2, \n",
            to: path)
        #expect {
            try RunFolder(path: root)
        } throws: { error in
            guard case ReportError.corruptFile(let file, let line, _) = error else { return false }
            return file == path && line == 2 && "\(error)".contains("line 2")
        }
        try ReportFixtures.write("{\"epoch\": \"one\"}\n", to: path)
        #expect(throws: ReportError.corruptFile(path: path, line: 1, reason: "expected an integer \"epoch\", got one"))
        {
            try RunFolder(path: root)
        }
    }

    @Test func missingFolderMetricsOrACutCheckpointAreErrorsNamingThem() throws {
        let root = ReportFixtures.temporaryDirectory()
        #expect(throws: ReportError.noMetrics(folder: root)) { try RunFolder(path: root) }
        let missing = (root as NSString).appendingPathComponent("nope")
        #expect(throws: ReportError.notAFolder(missing)) { try RunFolder(path: missing) }
        try ReportFixtures.write(
            ReportFixtures.line(epoch: 1, loss: 1, accuracy: 0.5, testError: nil, nll: nil),
            to: (root as NSString).appendingPathComponent("metrics.jsonl"))
        let checkpoint = (root as NSString).appendingPathComponent("checkpoint.safetensors")
        try ReportFixtures.checkpoint(metadata: ["a": "b"]).prefix(12).write(to: URL(fileURLWithPath: checkpoint))
        #expect {
            try RunFolder(path: root)
        } throws: { error in
            "\(error)".contains(checkpoint) && "\(error)".contains("cut off")
        }
    }

    @Test func reportCommandChoosesRunOrSweepByTheFolder() throws {
        let run = ReportFixtures.temporaryDirectory()
        try ReportFixtures.comparisonRun(in: run)
        #expect(try ReportCommand.run(path: run) == (run as NSString).appendingPathComponent("report.html"))
        let sweep = ReportFixtures.temporaryDirectory()
        try ReportFixtures.comparisonRun(in: (sweep as NSString).appendingPathComponent("a"))
        #expect(try ReportCommand.run(path: sweep) == (sweep as NSString).appendingPathComponent("sweep-report.html"))
    }
}

@Suite struct PathTextTests {
    @Test func splitsRelativeAndAbsolutePathsIncludingOneCharacterNames() {
        #expect(PathText.lastComponent("a") == "a")
        #expect(PathText.lastComponent("sweeps/a/") == "a")
        #expect(PathText.lastComponent("/tmp/x/report.html") == "report.html")
        #expect(PathText.parent("a") == nil)
        #expect(PathText.parent("mixup,alpha=1/seed0") == "mixup,alpha=1")
        #expect(PathText.stem("erm/decision_boundaries.svg") == "erm/decision_boundaries")
        #expect(PathText.stem("v1.2/plot") == "v1.2/plot")
    }
}
