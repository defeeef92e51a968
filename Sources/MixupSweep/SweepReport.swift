import Foundation
import MixupTensor

/// The results of a sweep, rebuilt from its folder alone (`sweep.json` and each cell's `stdout.log`, `status.json`
/// and `metrics.jsonl`): `results.md`, `results.csv`, a bar chart per headline metric and learning curves.
///
/// The same folder always gives byte-identical files: configurations and seeds keep sweep order, metrics are sorted,
/// numbers have fixed formats, and the bootstrap draws from a generator seeded with ``bootstrapSeed``.
public struct SweepReport: Sendable {
    /// The sweep, as recorded in its folder.
    public let sweep: Sweep
    /// One row per configuration, in sweep order.
    public let rows: [Row]
    /// The state of every cell, in cell order.
    public let states: [SweepCellStatus.State]
    /// The seed of the bootstrap generator.
    public let bootstrapSeed: UInt64
    /// Bootstrap resamples per comparison.
    public let resamples: Int

    /// One configuration's results.
    public struct Row: Sendable {
        /// The configuration's name.
        public let configuration: String
        /// Its axis values.
        public let settings: [SweepSetting]
        /// The finished cells' results by seed, in seed order.
        public let results: [(seed: UInt64, result: SweepCellResult)]
    }

    /// Reads the sweep in `directory`.
    ///
    /// - Throws: ``SweepError/unreadable(path:reason:)`` when `sweep.json` is missing or malformed.
    public init(directory: String, bootstrapSeed: UInt64 = 0, resamples: Int = 10_000) throws(SweepError) {
        let sweep = try Sweep.load(from: directory)
        self.sweep = sweep
        self.bootstrapSeed = bootstrapSeed
        self.resamples = resamples
        let cells = sweep.cells
        var states: [SweepCellStatus.State] = []
        var byConfiguration: [String: [(seed: UInt64, result: SweepCellResult)]] = [:]
        for cell in cells {
            let state = SweepCellStatus.read(from: cell.directory).state
            states.append(state)
            if state == .finished, let result = SweepCellResult.read(from: cell.directory) {
                byConfiguration[cell.configuration, default: []].append((cell.seed, result))
            }
        }
        self.states = states
        var seen = Set<String>()
        rows = cells.compactMap { cell in
            guard seen.insert(cell.configuration).inserted else { return nil }
            return Row(
                configuration: cell.configuration, settings: cell.settings,
                results: byConfiguration[cell.configuration] ?? [])
        }
    }

    /// Every metric some finished cell reports: `test_error` and `test_nll` first, the rest alphabetically.
    public var metrics: [String] {
        let all = Set(rows.flatMap { $0.results.flatMap { $0.result.metrics.keys } })
        let headline = ["test_error", "test_nll"].filter(all.contains)
        return headline + all.subtracting(headline).sorted()
    }

    /// Whether a larger value of `metric` is better (accuracies and throughputs); otherwise smaller is.
    public static func higherIsBetter(_ metric: String) -> Bool {
        metric.contains("accuracy") || metric.contains("per_second")
    }

    /// The statistics of one configuration for one metric.
    public struct Entry: Sendable {
        /// The per-seed values, in seed order.
        public let values: [(seed: UInt64, value: Double)]
        /// Mean, std, interval.
        public let summary: SweepStatistics.Summary?
        /// The paired comparison with the baseline; `nil` for the baseline itself or without common seeds.
        public let comparison: SweepStatistics.PairedComparison?
        /// Whether this configuration has the best mean for the metric.
        public let isBest: Bool
    }

    /// The entries of `metric`, one per row.
    public func entries(for metric: String) -> [Entry] {
        let values = rows.map { row in
            row.results.compactMap { item in item.result.metrics[metric].map { (seed: item.seed, value: $0) } }
        }
        let summaries = values.map { $0.isEmpty ? nil : SweepStatistics.summarize($0.map(\.value)) }
        let means = summaries.compactMap { $0?.mean }
        let best = Self.higherIsBetter(metric) ? means.max() : means.min()
        let baselineIndex = rows.firstIndex { $0.configuration == sweep.baselineConfiguration }
        return rows.indices.map { index in
            var comparison: SweepStatistics.PairedComparison? = nil
            if let baselineIndex, baselineIndex != index {
                let reference = Dictionary(
                    values[baselineIndex].map { ($0.seed, $0.value) }, uniquingKeysWith: { a, _ in a })
                let pairs = values[index].compactMap { item in reference[item.seed].map { (item.value, $0) } }
                if !pairs.isEmpty {
                    // One generator per (metric, configuration): a comparison does not depend on the others.
                    var generator = SeededGenerator(
                        seed: bootstrapSeed ^ Self.hash(metric + "|" + rows[index].configuration))
                    comparison = SweepStatistics.compare(
                        pairs.map(\.0), with: pairs.map(\.1), resamples: resamples, using: &generator)
                }
            }
            return Entry(
                values: values[index], summary: summaries[index], comparison: comparison,
                isBest: summaries[index] != nil && summaries[index]?.mean == best && means.count > 1)
        }
    }

    /// FNV-1a, a stable hash (Swift's `Hasher` is randomly seeded per process).
    static func hash(_ text: String) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return value
    }

    /// Counts of cells by state.
    public var counts: [SweepCellStatus.State: Int] { Dictionary(states.map { ($0, 1) }, uniquingKeysWith: +) }

    static func number(_ value: Double) -> String { String(format: "%.4f", value) }
    static func pValue(_ value: Double) -> String {
        value < 0.001 ? String(format: "%.1e", value) : String(format: "%.3f", value)
    }

    /// The markdown tables: one per metric, with mean ± std, n, 95% t interval, per-seed values and the paired
    /// comparison with the baseline; the best mean is marked ★.
    public func markdown() -> String {
        let baseline = sweep.baselineConfiguration ?? "—"
        var lines: [String] = ["# Sweep of `\(sweep.recipe)`", ""]
        if let command = sweep.commandLine { lines += ["Command: `\(command)`", ""] }
        let counts = self.counts
        lines.append(
            "Cells: \(states.count) — \(counts[.finished] ?? 0) finished, \(counts[.failed] ?? 0) failed, "
                + "\((counts[.running] ?? 0) + (counts[.interrupted] ?? 0)) unfinished, \(counts[.pending] ?? 0) not started. "
                + "Seeds: \(sweep.seeds.map(String.init).joined(separator: ", ")). Baseline: `\(baseline)`.")
        lines += [
            "",
            "mean ± sample std over seeds; 95% CI: Student t interval of the mean; Δ: mean paired difference from the "
                + "baseline over the seeds both finished, p: two-sided paired t-test, boot 95%: percentile bootstrap "
                + "interval of Δ (\(resamples) resamples, seed \(bootstrapSeed)). ★ best mean.",
        ]
        for metric in metrics {
            let direction = Self.higherIsBetter(metric) ? "higher is better" : "lower is better"
            lines += [
                "", "## \(metric) (\(direction))", "",
                "| configuration | n | mean ± std | 95% CI | per seed | Δ vs baseline | p | boot 95% |",
                "|---|---:|---|---|---|---:|---:|---|",
            ]
            for (row, entry) in zip(rows, entries(for: metric)) {
                lines.append(markdownRow(row, entry))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func markdownRow(_ row: Row, _ entry: Entry) -> String {
        let name = "`\(row.configuration)`" + (entry.isBest ? " ★" : "")
        guard let summary = entry.summary else { return "| \(name) | 0 | — | — | — | — | — | — |" }
        let spread = summary.standardDeviation.map { " ± " + Self.number($0) } ?? ""
        let interval = summary.interval.map { "[\(Self.number($0.lowerBound)), \(Self.number($0.upperBound))]" } ?? "—"
        let perSeed = entry.values.map { Self.number($0.value) }.joined(separator: ", ")
        var difference = "—", p = "—", boot = "—"
        if row.configuration == sweep.baselineConfiguration {
            difference = "baseline"
        } else if let comparison = entry.comparison {
            difference = (comparison.meanDifference >= 0 ? "+" : "") + Self.number(comparison.meanDifference)
            p = comparison.pValue.map(Self.pValue) ?? "—"
            boot =
                comparison.bootstrapInterval.map { "[\(Self.number($0.lowerBound)), \(Self.number($0.upperBound))]" }
                ?? "—"
        }
        let mean = (entry.isBest ? "**" : "") + Self.number(summary.mean) + spread + (entry.isBest ? "**" : "")
        return "| \(name) | \(summary.count) | \(mean) | \(interval) | \(perSeed) | \(difference) | \(p) | \(boot) |"
    }

    /// The CSV: one line per (metric, configuration), with the axis values as columns.
    public func csv() -> String {
        let axes = rows.flatMap { $0.settings.map(\.axis) }.reduce(into: [String]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        var lines = [
            (["metric", "configuration"] + axes + [
                "n", "mean", "std", "ci95_low", "ci95_high", "values", "seeds", "baseline", "diff_mean", "p_value",
                "boot95_low", "boot95_high", "best",
            ]).joined(separator: ",")
        ]
        func text(_ value: Double?) -> String { value.map { String($0) } ?? "" }
        for metric in metrics {
            for (row, entry) in zip(rows, entries(for: metric)) {
                let settings = Dictionary(row.settings.map { ($0.axis, $0.value) }, uniquingKeysWith: { a, _ in a })
                var fields = [metric, row.configuration] + axes.map { settings[$0] ?? "" }
                fields += [
                    String(entry.values.count), text(entry.summary?.mean), text(entry.summary?.standardDeviation),
                    text(entry.summary?.interval?.lowerBound), text(entry.summary?.interval?.upperBound),
                    entry.values.map { String($0.value) }.joined(separator: ";"),
                    entry.values.map { String($0.seed) }.joined(separator: ";"),
                    sweep.baselineConfiguration ?? "", text(entry.comparison?.meanDifference),
                    text(entry.comparison?.pValue), text(entry.comparison?.bootstrapInterval?.lowerBound),
                    text(entry.comparison?.bootstrapInterval?.upperBound), entry.isBest ? "1" : "0",
                ]
                lines.append(fields.map(Self.csvField).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ field: String) -> String {
        field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }

    /// The learning curve of `metric` for each row: per epoch, the mean and sample std over the seeds that logged it.
    public func curves(for metric: String) -> [(configuration: String, points: [SweepChart.CurvePoint])] {
        rows.compactMap { row in
            var byEpoch: [Int: [Double]] = [:]
            for item in row.results {
                var last: [Int: Double] = [:]
                for point in item.result.curves[metric] ?? [] { last[point.epoch] = point.value }
                for (epoch, value) in last { byEpoch[epoch, default: []].append(value) }
            }
            guard !byEpoch.isEmpty else { return nil }
            let points = byEpoch.keys.sorted().map { epoch -> SweepChart.CurvePoint in
                let summary = SweepStatistics.summarize(byEpoch[epoch] ?? [])
                return SweepChart.CurvePoint(
                    x: Double(epoch), mean: summary.mean, spread: summary.standardDeviation ?? 0)
            }
            return (row.configuration, points)
        }
    }

    /// Writes `results.md`, `results.csv`, `chart_<metric>.svg` (mean ± std bars for `test_error` and `test_nll`, or
    /// the first metric) and `curves_<metric>.svg` (for `test_error`, `test_nll` and `train_loss` when logged) into
    /// the sweep folder.
    ///
    /// - Returns: the paths written.
    /// - Throws: ``SweepError/unwritable(path:reason:)``.
    @discardableResult
    public func write() throws(SweepError) -> [String] {
        var files: [(String, String)] = [("results.md", markdown()), ("results.csv", csv())]
        let metrics = self.metrics
        let headline = metrics.filter { ["test_error", "test_nll"].contains($0) }
        for metric in headline.isEmpty ? Array(metrics.prefix(1)) : headline {
            let bars = zip(rows, entries(for: metric)).compactMap { row, entry in
                entry.summary.map {
                    SweepChart.Bar(
                        label: row.configuration, mean: $0.mean, spread: $0.standardDeviation ?? 0, isBest: entry.isBest
                    )
                }
            }
            guard !bars.isEmpty else { continue }
            files.append(
                (
                    "chart_\(metric).svg",
                    SweepChart.bars(bars, metric: metric, title: "\(sweep.recipe): \(metric), mean ± std over seeds")
                ))
        }
        for metric in ["test_error", "test_nll", "train_loss"] {
            let series = curves(for: metric)
            guard !series.isEmpty else { continue }
            files.append(
                (
                    "curves_\(metric).svg",
                    SweepChart.curves(
                        series, metric: metric, title: "\(sweep.recipe): \(metric) by epoch, mean ± std over seeds")
                ))
        }
        var written: [String] = []
        for (name, text) in files {
            let path = (sweep.outputDirectory as NSString).appendingPathComponent(name)
            do {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw .unwritable(path: path, reason: error.localizedDescription)
            }
            written.append(path)
        }
        return written
    }
}
