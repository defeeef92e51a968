import Foundation
import Testing

@testable import MixupSweep

@Suite struct SweepReportTests {
    /// erm: 0.30, 0.31, 0.32; mixup: 0.20, 0.22, 0.24 (see ``SweepFixture``).
    func finishedSweep(_ fixture: SweepFixture) throws -> Sweep {
        let sweep = Sweep(
            recipe: "spirals", outputDirectory: fixture.path("s"), strategies: ["erm", "mixup", "boom"],
            seeds: [0, 1, 2])
        _ = try fixture.runner().run(sweep)
        return sweep
    }

    @Test func tablesHoldHandComputedStatistics() throws {
        let fixture = try SweepFixture()
        defer { fixture.remove() }
        _ = try finishedSweep(fixture)
        let report = try SweepReport(directory: fixture.path("s"))
        #expect(report.metrics == ["test_error", "test_nll", "train_loss"])
        #expect(report.counts == [.finished: 6, .failed: 3])
        let entries = report.entries(for: "test_error")
        #expect(entries.map(\.values.count) == [3, 3, 0])
        let erm = try #require(entries[0].summary)
        #expect(abs(erm.mean - 0.31) < 1e-12)
        #expect(abs((erm.standardDeviation ?? 0) - 0.01) < 1e-12)
        let half = 4.302652729911275 * 0.01 / 3.0.squareRoot()
        #expect(abs((erm.interval?.lowerBound ?? 0) - (0.31 - half)) < 1e-9)
        // mixup − erm: −0.10, −0.09, −0.08: mean −0.09, s = 0.01, t = −0.09 / (0.01/√3), ν = 2.
        let comparison = try #require(entries[1].comparison)
        #expect(abs(comparison.meanDifference + 0.09) < 1e-12)
        let t = 0.09 / (0.01 / 3.0.squareRoot())
        #expect(abs((comparison.pValue ?? 0) - (1 - t / (2 + t * t).squareRoot())) < 1e-8)
        #expect(entries[1].isBest && !entries[0].isBest)
        #expect(entries[0].comparison == nil)

        let markdown = report.markdown()
        #expect(
            markdown.contains(
                "| `strategy=erm` | 3 | 0.3100 ± 0.0100 | [0.2852, 0.3348] | 0.3000, 0.3100, 0.3200 | baseline |"))
        #expect(markdown.contains("| `strategy=mixup` ★ | 3 | **0.2200 ± 0.0200** |"))
        #expect(markdown.contains("| `strategy=boom` | 0 | — |"))
        #expect(markdown.contains("Cells: 9 — 6 finished, 3 failed"))
        let csv = report.csv().split(separator: "\n").map(String.init)
        #expect(csv[0].hasPrefix("metric,configuration,strategy,n,mean,std,ci95_low,ci95_high,values,seeds,"))
        #expect(csv[1].hasPrefix("test_error,strategy=erm,erm,3,0.31"))
        #expect(csv[1].contains(",0.3;0.31;0.32,0;1;2,strategy=erm,"))
    }

    @Test func learningCurvesAverageOverSeedsPerEpoch() throws {
        let fixture = try SweepFixture()
        defer { fixture.remove() }
        _ = try finishedSweep(fixture)
        let report = try SweepReport(directory: fixture.path("s"))
        let curves = report.curves(for: "test_error")
        #expect(curves.map(\.configuration) == ["strategy=erm", "strategy=mixup"])
        #expect(curves[0].points.map(\.x) == [1, 2])
        #expect(abs(curves[0].points[0].mean - 0.36) < 1e-12)
        #expect(abs(curves[0].points[1].spread - 0.01) < 1e-12)
    }

    @Test func reportRebuildsIdenticallyFromDisk() throws {
        let fixture = try SweepFixture()
        defer { fixture.remove() }
        let sweep = try finishedSweep(fixture)
        let paths = try SweepReport(directory: sweep.outputDirectory).write()
        #expect(
            paths.map { ($0 as NSString).lastPathComponent } == [
                "results.md", "results.csv", "chart_test_error.svg", "chart_test_nll.svg", "curves_test_error.svg",
                "curves_train_loss.svg",
            ])
        let first = try paths.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        for path in paths { try FileManager.default.removeItem(atPath: path) }
        // Copy the folder elsewhere and rebuild there: same bytes.
        try FileManager.default.copyItem(atPath: sweep.outputDirectory, toPath: fixture.path("copy"))
        let rebuilt = try SweepReport(directory: fixture.path("copy")).write()
        #expect(try rebuilt.map { try Data(contentsOf: URL(fileURLWithPath: $0)) } == first)
        let svg = String(decoding: first[2], as: UTF8.self)
        #expect(svg.hasPrefix("<svg") && svg.contains("strategy=mixup"))
    }

    @Test func aMissingSweepFolderIsAClearError() {
        #expect(
            throws: SweepError.unreadable(
                path: "/nonexistent/sweep.json", reason: "no such file (is /nonexistent a sweep folder?)")
        ) {
            try SweepReport(directory: "/nonexistent")
        }
    }
}
