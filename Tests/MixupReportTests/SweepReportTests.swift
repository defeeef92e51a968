import Foundation
import Testing

@testable import MixupReport

@Suite struct SweepReportTests {
    /// A sweep of comparison runs over three seeds (`cells/seed<S>`), plus a results table the sweep wrote.
    static func sweep() throws -> String {
        let root = ReportFixtures.temporaryDirectory()
        for seed in 0..<3 {
            try ReportFixtures.comparisonRun(
                in: (root as NSString).appendingPathComponent("cells/spirals seed\(seed)"), seed: seed)
        }
        try ReportFixtures.write("| a | b |\n", to: (root as NSString).appendingPathComponent("results.md"))
        return root
    }

    @Test func tableHasMeanStdAndConfidenceIntervalOverSeeds() throws {
        let root = try Self.sweep()
        let html = try String(contentsOfFile: try SweepReport.write(sweepFolder: root), encoding: .utf8)
        // erm's final test error over seeds 0, 1, 2: 0.1 + 0.001 × seed → 10.10%, std 0.10%, t(2) = 4.303.
        let errors = [0.100, 0.101, 0.102]
        let stats = try #require(SampleStatistics(errors))
        #expect(abs(stats.standardDeviation - 0.001) < 1e-12)
        let half = 4.303 * 0.001 / 3.0.squareRoot()
        #expect(html.contains("<td>10.10 ± 0.10</td>"))
        #expect(html.contains(String(format: "<td>[%.2f, %.2f]</td>", 100 * (0.101 - half), 100 * (0.101 + half))))
        #expect(html.contains("<td>spirals · erm · epochs=4</td><td>3</td>"))
        #expect(html.contains("<td>spirals · manifold-mixup · epochs=4</td><td>3</td>"))
    }

    @Test func everyFigureIsPresentWithBandsAndErrorBars() throws {
        let html = try String(contentsOfFile: try SweepReport.write(sweepFolder: try Self.sweep()), encoding: .utf8)
        let figures = HTMLChecks.figures(in: html)
        #expect(Set(figures.keys) == ["test-error-bars", "test-nll-bars", "test-error-curves", "train-loss-curves"])
        let bars = try #require(figures["test-error-bars"])
        #expect(HTMLChecks.attributes("data-series", in: bars) == ["erm", "manifold-mixup"])
        #expect(html.contains("Every configuration shares: spirals · epochs=4."))
        #expect(HTMLChecks.count("class=\"error-bar\"", in: bars) == 2)
        let curves = try #require(figures["test-error-curves"])
        #expect(HTMLChecks.count("<polygon class=\"band\"", in: curves) == 2)
        #expect(!html.contains("<script"))
    }

    @Test func linksToEveryCellReportWhichExists() throws {
        let root = try Self.sweep()
        let html = try String(contentsOfFile: try SweepReport.write(sweepFolder: root), encoding: .utf8)
        let links = HTMLChecks.attributes("href", in: html)
        let reports = links.filter { $0.hasSuffix("report.html") }
        #expect(reports.count == 6)  // 3 cells × 2 strategies
        for link in Set(reports) {
            let path = (root as NSString).appendingPathComponent(link.removingPercentEncoding ?? link)
            #expect(FileManager.default.fileExists(atPath: path), "\(link)")
        }
        #expect(links.contains("results.md"))
        #expect(reports.allSatisfy { $0.contains("%20") })
    }

    @Test func rebuildingGivesTheSameBytes() throws {
        let root = try Self.sweep()
        let first = try Data(contentsOf: URL(fileURLWithPath: try SweepReport.write(sweepFolder: root)))
        let second = try Data(contentsOf: URL(fileURLWithPath: try SweepReport.write(sweepFolder: root)))
        #expect(first == second)
    }

    @Test func aFolderWithoutCellsIsAnErrorNamingIt() {
        let root = ReportFixtures.temporaryDirectory()
        #expect(throws: ReportError.noCells(folder: root)) { try SweepReport.write(sweepFolder: root) }
    }
}

@Suite struct SweepLabelTests {
    @Test func chartLabelsDropThePartsEveryConfigurationShares() {
        let (labels, shared) = SweepReport.shortLabels([
            "spirals · erm · epochs=2", "spirals · manifold-mixup · epochs=2", "spirals · manifold-mixup · epochs=4",
        ])
        #expect(labels == ["erm · epochs=2", "manifold-mixup · epochs=2", "manifold-mixup · epochs=4"])
        #expect(shared == ["spirals"])
        #expect(SweepReport.shortLabels(["a · b"]).labels == ["a · b"])
        #expect(SweepReport.shortLabels(["a · b", "a · b"]).labels == ["a · b", "a · b"])
    }
}
