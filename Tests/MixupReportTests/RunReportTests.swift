import Foundation
import Testing

@testable import MixupReport

@Suite struct RunReportTests {
    @Test func everyFigureIsPresentWithOneLinePerStrategy() throws {
        let root = ReportFixtures.temporaryDirectory()
        try ReportFixtures.comparisonRun(in: root)
        let html = try String(contentsOfFile: try RunReport.write(runFolder: root), encoding: .utf8)
        let figures = HTMLChecks.figures(in: html)
        #expect(Set(figures.keys) == ["train-loss", "train-error", "test-error", "test-nll", "decision-boundaries"])
        for id in ["train-loss", "train-error", "test-error", "test-nll"] {
            let figure = try #require(figures[id])
            #expect(HTMLChecks.attributes("data-series", in: figure) == ["erm", "manifold-mixup"], "\(id)")
            #expect(HTMLChecks.count("<circle class=\"point\"", in: figure) == 8, "4 epochs × 2 strategies in \(id)")
        }
        // The run's own SVG is inlined, minus its XML prologue and script.
        let boundary = try #require(figures["decision-boundaries"])
        #expect(boundary.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\""))
        #expect(!boundary.contains("<?xml"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=\"http"))
    }

    @Test func axisRangesCoverEveryValueOfEveryCurve() throws {
        let root = ReportFixtures.temporaryDirectory()
        try ReportFixtures.comparisonRun(in: root, epochs: 7)
        let run = try RunFolder(path: root)
        let figures = HTMLChecks.figures(in: RunReport.render(run))
        for curve in RunReport.curves {
            let figure = try #require(figures[curve.id])
            let x = HTMLChecks.numbers(HTMLChecks.attribute("data-x-range", in: figure))
            let y = HTMLChecks.numbers(HTMLChecks.attribute("data-y-range", in: figure))
            let values = run.strategies.flatMap { RunReport.points(curve.key, of: $0) }
            #expect(values.count == 14)
            #expect(x.count == 2 && y.count == 2)
            for point in values {
                #expect(x[0] <= point.x && point.x <= x[1], "epoch \(point.x) outside \(x) in \(curve.id)")
                #expect(y[0] <= point.y && point.y <= y[1], "\(point.y) outside \(y) in \(curve.id)")
            }
        }
    }

    @Test func textFromTheFilesIsEscaped() throws {
        let root = ReportFixtures.temporaryDirectory()
        try ReportFixtures.comparisonRun(in: root, recipe: "<script>alert('x')</script> & \"co\"")
        let html = try String(contentsOfFile: try RunReport.write(runFolder: root), encoding: .utf8)
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"))
        #expect(!html.contains(" & \""))
    }

    @Test func rebuildingGivesTheSameBytes() throws {
        let root = ReportFixtures.temporaryDirectory()
        try ReportFixtures.comparisonRun(in: root)
        let path = try RunReport.write(runFolder: root)
        let first = try Data(contentsOf: URL(fileURLWithPath: path))
        let second = try Data(contentsOf: URL(fileURLWithPath: try RunReport.write(runFolder: root)))
        #expect(first == second)
        #expect(first.count > 2000)
    }

    @Test func showsProvenanceOptionsCheckpointAndFinalMetrics() throws {
        let root = ReportFixtures.temporaryDirectory()
        try ReportFixtures.comparisonRun(in: root, seed: 3, epochs: 2)
        let html = RunReport.render(try RunFolder(path: root))
        #expect(html.contains("<td>commit</td><td>0123456789abcdef0123456789abcdef01234567</td>"))
        #expect(html.contains("<td>MixupKit version</td><td>0.1.0-dev</td>"))
        #expect(html.contains("<td>seed</td><td>3</td>"))
        #expect(html.contains("<td>alpha</td><td>default</td>"))
        // Final metrics of manifold-mixup at epoch 2: loss 0.6 + 0.02 + 0.003, test error 0.2 + 0.023.
        #expect(html.contains("<tr><td>manifold-mixup</td><td>2</td><td>0.6230</td>"))
        #expect(html.contains("<td>22.30%</td>"))
        #expect(html.contains("<td>strategy</td><td>manifold-mixup</td>"))
    }

    @Test func aRunWithoutProvenanceOrTestSetSaysUnknownAndOmitsTestCurves() throws {
        let root = ReportFixtures.temporaryDirectory()
        try ReportFixtures.write(
            ReportFixtures.line(epoch: 1, loss: 0.9, accuracy: 0.5, testError: nil, nll: nil)
                + ReportFixtures.line(epoch: 2, loss: 0.7, accuracy: 0.6, testError: nil, nll: nil),
            to: (root as NSString).appendingPathComponent("metrics.jsonl"))
        let html = RunReport.render(try RunFolder(path: root))
        #expect(Set(HTMLChecks.figures(in: html).keys) == ["train-loss", "train-error"])
        #expect(html.contains("<td>commit</td><td>unknown</td>"))
        #expect(html.contains("Not recorded in metrics.jsonl: test error, test negative log-likelihood."))
    }

    @Test func finishRunWritesSummaryProvenanceAndReport() throws {
        struct Options { var epochs: Int? = 2; var seed: UInt64 = 5; var alpha: Double? = nil }
        let root = ReportFixtures.temporaryDirectory()
        try ReportFixtures.write(
            ReportFixtures.metrics(epochs: 2, offset: 0), to: (root as NSString).appendingPathComponent("metrics.jsonl")
        )
        let summary = Data("{\"recipe\":\"moons\",\"seed\":5,\"strategy\":\"mixup\"}".utf8)
        let path = try RunReport.finishRun(folder: root, summaryJSON: summary, options: Options())
        #expect(FileManager.default.fileExists(atPath: path))
        let written = try Data(
            contentsOf: URL(fileURLWithPath: (root as NSString).appendingPathComponent("summary.json")))
        #expect(written == summary + Data("\n".utf8))
        let provenance = try #require(try RunProvenance.read(folder: root))
        #expect(provenance.options.map(\.name) == ["epochs", "seed", "alpha"])
        #expect(provenance.options.map(\.value) == ["2", "5", "default"])
        #expect(provenance.libraryVersion == RunProvenance.currentLibraryVersion)
        #expect(provenance.commit == "unknown" || provenance.commit.count == 40)
    }
}
