import Foundation
import MixupRunner
import Testing

/// The runner's end of the run report: every run writes summary.json, run-info.json and report.html, and
/// `mixup report DIR` rebuilds the report byte for byte.
@Suite struct RunReportIntegrationTests {
    static func file(_ folder: String, _ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
    }

    @Test func aComparisonRunWritesItsReportAndTheReportCommandRebuildsItIdentically() throws {
        let root = RunnerFixtures.temporaryDirectory()
        var options = RunOptions()
        options.outputDirectory = root
        options.quiet = true
        options.seed = 4
        let mixup = try Regularizer.mixup(alpha: 1)
        let recipe = RunnerFixtures.tinyRecipe(comparison: [.erm, mixup])
        let (_, output) = try RunnerFixtures.capturingStandardOutput {
            try RecipeCommand.execute(recipe, options: options)
        }

        // The capture redirects the process's standard output, so tests of other modules running at the same time can
        // print JSON lines into it too: take this run's summary, the line naming this run's folder.
        let summaryLine = try #require(
            output.split(separator: "\n").last {
                $0.hasPrefix("{\"") && $0.contains("\"output\":\"\(root)\"")
            })
        #expect(String(decoding: try Self.file(root, "summary.json"), as: UTF8.self) == summaryLine + "\n")
        let info = String(decoding: try Self.file(root, "run-info.json"), as: UTF8.self)
        #expect(info.contains("\"name\" : \"seed\"") && info.contains("\"value\" : \"4\""))
        let first = try Self.file(root, "report.html")
        let html = String(decoding: first, as: UTF8.self)
        for figure in ["train-loss", "train-error", "test-error", "test-nll"] {
            #expect(html.contains("data-figure=\"\(figure)\""), "\(figure)")
        }
        #expect(html.contains("data-series=\"erm\"") && html.contains("data-series=\"\(mixup.name)\""))

        try FileManager.default.removeItem(atPath: (root as NSString).appendingPathComponent("report.html"))
        let (status, printed) = RunnerFixtures.capturingStandardOutput {
            RecipeCommand.run(arguments: ["report", root], recipes: [recipe])
        }
        #expect(status == 0)
        #expect(printed.contains("report.html"))
        #expect(try Self.file(root, "report.html") == first)
    }

    @Test func theReportCommandNamesAMissingFolder() {
        let missing = "/nonexistent/mixupkit-report-\(UUID().uuidString)"
        #expect(RecipeCommand.run(arguments: ["report", missing], recipes: []) == 1)
        #expect(RecipeCommand.run(arguments: ["report"], recipes: []) == 2)
    }
}
