import Foundation
import Testing

@testable import MixupReport

@Suite struct SweepReportTests {
    /// A sweep of comparison runs over three seeds (`spirals seed<S>`), plus a results table the sweep wrote.
    static func sweep() throws -> String {
        let root = ReportFixtures.temporaryDirectory()
        for seed in 0..<3 {
            try ReportFixtures.comparisonRun(
                in: (root as NSString).appendingPathComponent("spirals seed\(seed)"), seed: seed)
        }
        try ReportFixtures.write("| a | b |\n", to: (root as NSString).appendingPathComponent("results.md"))
        return root
    }

    @Test func tableHasMeanStdAndConfidenceIntervalOverSeeds() throws {
        let root = try Self.sweep()
        let html = try String(contentsOfFile: try SweepReportPage.write(sweepFolder: root), encoding: .utf8)
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
        let html = try String(contentsOfFile: try SweepReportPage.write(sweepFolder: try Self.sweep()), encoding: .utf8)
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
        let html = try String(contentsOfFile: try SweepReportPage.write(sweepFolder: root), encoding: .utf8)
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

    @Test func cellsInAConfigurationFolderAreGroupedByIt() throws {
        // The layout of `mixup sweep`: <configuration>/seed<S>, single-strategy cells.
        let root = ReportFixtures.temporaryDirectory()
        for configuration in ["strategy=erm", "strategy=mixup,alpha=1"] {
            for seed in 0..<2 {
                let cell = (root as NSString).appendingPathComponent("\(configuration)/seed\(seed)")
                try ReportFixtures.write(
                    ReportFixtures.metrics(epochs: 3, offset: 0.01 * Double(seed)),
                    to: (cell as NSString).appendingPathComponent("metrics.jsonl"))
                try ReportFixtures.write(
                    "{\"recipe\":\"spirals\",\"seed\":\(seed)}\n",
                    to: (cell as NSString).appendingPathComponent("summary.json"))
            }
        }
        let html = try String(contentsOfFile: try SweepReportPage.write(sweepFolder: root), encoding: .utf8)
        #expect(html.contains("<td>strategy=erm</td><td>2</td>"))
        #expect(html.contains("<td>strategy=mixup,alpha=1</td><td>2</td>"))
        #expect(HTMLChecks.attributes("href", in: html).filter { $0.hasSuffix("report.html") }.count == 4)
    }

    @Test func rebuildingGivesTheSameBytes() throws {
        let root = try Self.sweep()
        let first = try Data(contentsOf: URL(fileURLWithPath: try SweepReportPage.write(sweepFolder: root)))
        let second = try Data(contentsOf: URL(fileURLWithPath: try SweepReportPage.write(sweepFolder: root)))
        #expect(first == second)
    }

    @Test func aFolderWithoutCellsIsAnErrorNamingIt() {
        let root = ReportFixtures.temporaryDirectory()
        #expect(throws: ReportError.noCells(folder: root)) { try SweepReportPage.write(sweepFolder: root) }
    }
}

@Suite struct SweepLabelTests {
    @Test func chartLabelsDropThePartsEveryConfigurationShares() {
        let (labels, shared) = SweepReportPage.shortLabels([
            "spirals · erm · epochs=2", "spirals · manifold-mixup · epochs=2", "spirals · manifold-mixup · epochs=4",
        ])
        #expect(labels == ["erm · epochs=2", "manifold-mixup · epochs=2", "manifold-mixup · epochs=4"])
        #expect(shared == ["spirals"])
        #expect(SweepReportPage.shortLabels(["a · b"]).labels == ["a · b"])
        #expect(SweepReportPage.shortLabels(["a · b", "a · b"]).labels == ["a · b", "a · b"])
    }
}
