import Foundation

/// `sweep-report.html` for a sweep folder: every run folder (cell) below it, grouped into configurations that differ
/// only by seed, with the per-configuration table (mean ± std and 95% confidence intervals over seeds), a bar chart
/// with error bars, learning curves with spread bands and a link to each cell's `report.html`.
///
/// Cells are found on disk (folders with `summary.json`, or `metrics.jsonl` outside another cell), so any sweep
/// layout works; a comparison cell contributes one configuration per strategy. Each cell's report is (re)built too.
public enum SweepReportPage {
    /// The report's file name in the sweep folder.
    public static let fileName = "sweep-report.html"

    /// One trained model of one cell: the configuration it belongs to and its run.
    struct Member {
        var configuration: String
        var cellPath: String
        var seed: String
        var strategy: StrategyRun
    }

    /// Builds the report of every cell, then `sweep-report.html`.
    ///
    /// - Returns: the path of `sweep-report.html`.
    /// - Throws: ``ReportError`` when the folder has no cells or a cell's files are corrupt (naming the file).
    @discardableResult
    public static func write(sweepFolder path: String) throws(ReportError) -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw .notAFolder(path)
        }
        let cellPaths = cells(in: path)
        guard !cellPaths.isEmpty else { throw .noCells(folder: path) }
        var runs: [(relativePath: String, run: RunFolder)] = []
        for relative in cellPaths {
            let cell = (path as NSString).appendingPathComponent(relative)
            try RunReport.write(runFolder: cell)
            runs.append((relative, try RunFolder(path: cell)))
        }
        let html = render(sweepName: PathText.lastComponent(path), cells: runs, files: files(in: path))
        let output = (path as NSString).appendingPathComponent(fileName)
        do {
            try Data(html.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw .writeFailed(path: output, reason: error.localizedDescription)
        }
        return output
    }

    /// The cells below `path` (relative paths, sorted): folders with `summary.json`, or with `metrics.jsonl` and no
    /// enclosing cell, up to four levels down.
    static func cells(in path: String, prefix: String = "", depth: Int = 4) -> [String] {
        var found: [String] = []
        for name in RunFolder.subfolders(of: path) {
            let folder = (path as NSString).appendingPathComponent(name)
            let manager = FileManager.default
            if manager.fileExists(atPath: (folder as NSString).appendingPathComponent(RunFolder.summaryFileName))
                || manager.fileExists(atPath: (folder as NSString).appendingPathComponent("metrics.jsonl"))
            {
                found.append(prefix + name)
            } else if depth > 1 {
                found += cells(in: folder, prefix: prefix + name + "/", depth: depth - 1)
            }
        }
        return found.sorted()
    }

    /// Other files the sweep wrote at its top level that the report links to (`mixup sweep`'s `results.md`,
    /// `results.csv` and charts, `sweep.json`).
    static func files(in path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { name in
            name != fileName && !name.hasPrefix(".")
                && [".md", ".csv", ".svg", ".json", ".html", ".txt"].contains { name.lowercased().hasSuffix($0) }
        }.sorted()
    }

    /// The configuration a strategy of a cell belongs to. Cells in a common folder (`<configuration>/seed<S>`, the
    /// layout of `mixup sweep`) are one configuration named by that folder; cells directly in the sweep folder are
    /// grouped by recipe, strategy and every option except those that do not change the experiment (seed, output
    /// folder, threads, quiet, resume, data path). A comparison cell adds the strategy to the name.
    static func configuration(of run: RunFolder, cellPath: String, strategy: StrategyRun) -> String {
        if let parent = PathText.parent(cellPath) {
            return run.strategies.count > 1 ? "\(parent) · \(strategy.name)" : parent
        }
        let ignored: Set<String> = [
            "seed", "outputDirectory", "threads", "quiet", "resume", "dataPath", "strategy",
        ]
        var parts = [run.recipe, strategy.name]
        for option in run.provenance?.options ?? [] where !ignored.contains(option.name) && option.value != "default" {
            parts.append("\(option.name)=\(option.value)")
        }
        if run.provenance == nil {
            for key in ["alpha", "labels", "epochs"] {
                if let value = run.summary[key] { parts.append("\(key)=\(value)") }
            }
        }
        return parts.joined(separator: " · ")
    }

    static func render(sweepName: String, cells: [(relativePath: String, run: RunFolder)], files: [String]) -> String {
        var members: [Member] = []
        for (relative, run) in cells {
            for strategy in run.strategies {
                members.append(
                    Member(
                        configuration: configuration(of: run, cellPath: relative, strategy: strategy),
                        cellPath: relative, seed: run.seed,
                        strategy: strategy))
            }
        }
        var order: [String] = []
        for member in members where !order.contains(member.configuration) { order.append(member.configuration) }
        let groups = order.map { name in (name: name, members: members.filter { $0.configuration == name }) }

        var page = ReportPage(title: "Sweep report: \(sweepName)")
        page.paragraph(
            "\(cells.count) run folders, \(groups.count) configurations. Statistics are over the runs of a "
                + "configuration (its seeds), from each run's final logged epoch: mean ± sample standard deviation "
                + "and the 95% Student-t confidence interval of the mean. Built from the files in this folder; "
                + "`mixup report <folder>` rebuilds it.",
            className: "note")

        page.heading("Results", id: "results")
        func cell(_ stats: SampleStatistics?, scale: Double, format: String) -> [String] {
            guard let stats else { return ["-", "-"] }
            let mean = String(format: format, scale * stats.mean)
            let spread = String(format: format, scale * stats.standardDeviation)
            let interval = stats.confidenceHalfWidth.map {
                "[" + String(format: format, scale * (stats.mean - $0)) + ", "
                    + String(format: format, scale * (stats.mean + $0)) + "]"
            }
            return ["\(mean) ± \(spread)", interval ?? "n/a (1 run)"]
        }
        let errors = groups.map { group in SampleStatistics(group.members.compactMap { $0.strategy.last("test_error") })
        }
        let nlls = groups.map { group in SampleStatistics(group.members.compactMap { $0.strategy.last("test_nll") }) }
        page.table(
            header: [
                "configuration", "runs", "test error % (mean ± std)", "95% CI", "test NLL (mean ± std)", "95% CI",
            ],
            rows: groups.indices.map { index in
                [groups[index].name, String(groups[index].members.count)]
                    + cell(errors[index], scale: 100, format: "%.2f") + cell(nlls[index], scale: 1, format: "%.4f")
            }, id: "results-table")

        page.heading("Figures", id: "figures")
        let (labels, shared) = shortLabels(groups.map(\.name))
        if !shared.isEmpty {
            page.paragraph("Every configuration shares: \(shared.joined(separator: " · ")).", className: "note")
        }
        page.raw("<div class=\"figures\">\n")
        let errorBars = zip(labels, errors).compactMap { label, stats in
            stats.map { BarChart.Bar(name: label, value: 100 * $0.mean, error: 100 * ($0.confidenceHalfWidth ?? 0)) }
        }
        if !errorBars.isEmpty {
            page.figure(
                id: "test-error-bars",
                svg: BarChart(title: "Final test error", valueLabel: "test error (%)", bars: errorBars).render(),
                caption: "Mean final test error per configuration; error bars: 95% confidence interval over seeds "
                    + "(none with one run).")
        }
        let nllBars = zip(labels, nlls).compactMap { label, stats in
            stats.map { BarChart.Bar(name: label, value: $0.mean, error: $0.confidenceHalfWidth ?? 0) }
        }
        if !nllBars.isEmpty {
            page.figure(
                id: "test-nll-bars",
                svg: BarChart(title: "Final test NLL", valueLabel: "test NLL (nats)", bars: nllBars).render(),
                caption: "Mean final test negative log-likelihood; error bars: 95% confidence interval over seeds.")
        }
        for (key, id, title, axis) in [
            ("test_error", "test-error-curves", "Test error by epoch", "error"),
            ("train_loss", "train-loss-curves", "Training loss by epoch (mixed batches)", "loss"),
        ] {
            let chart = LineChart(
                title: title, xLabel: "epoch", yLabel: axis,
                series: zip(labels, groups).map { label, group in
                    spreadSeries(key, name: label, members: group.members)
                })
            if chart.hasData {
                page.figure(
                    id: id, svg: chart.render(),
                    caption: "Mean over the runs of each configuration; the band is ± one standard deviation "
                        + "(where at least two runs logged the epoch).")
            }
        }
        page.raw("</div>\n")

        page.heading("Runs", id: "runs")
        page.table(
            header: ["run folder", "configuration", "seed", "test error", "test NLL", "report"],
            rows: members.map { member in
                let link = (member.cellPath as NSString).appendingPathComponent(RunReport.fileName)
                return [
                    HTMLText.escaped(
                        member.cellPath
                            + (member.strategy.relativePath == "." ? "" : "/" + member.strategy.relativePath)),
                    HTMLText.escaped(member.configuration), HTMLText.escaped(member.seed),
                    member.strategy.last("test_error").map { String(format: "%.2f%%", 100 * $0) } ?? "-",
                    member.strategy.last("test_nll").map { String(format: "%.4f", $0) } ?? "-",
                    "<a href=\"\(HTMLText.escaped(percentEncoded(link)))\">report.html</a>",
                ]
            }, id: "runs-table", htmlColumns: [0, 1, 2, 3, 4, 5])
        if !files.isEmpty {
            page.heading("Sweep files", id: "files")
            page.raw(
                "<ul>\n"
                    + files.map {
                        "<li><a href=\"\(HTMLText.escaped(percentEncoded($0)))\">\(HTMLText.escaped($0))</a></li>\n"
                    }
                    .joined() + "</ul>\n")
        }
        return page.render()
    }

    /// Chart labels for configuration names: the ` · `-separated parts every name shares are dropped (and returned),
    /// so bars and legends show what differs; a name left empty keeps its full text.
    static func shortLabels(_ names: [String]) -> (labels: [String], shared: [String]) {
        let parts = names.map { $0.components(separatedBy: " · ") }
        guard parts.count > 1, let first = parts.first else { return (names, []) }
        let shared = first.filter { part in parts.allSatisfy { $0.contains(part) } }
        let labels = zip(names, parts).map { name, own in
            let kept = own.filter { !shared.contains($0) }
            return kept.isEmpty ? name : kept.joined(separator: " · ")
        }
        return (labels, shared)
    }

    /// The mean of `key` by epoch over `members`, with a ± one standard deviation band where two or more logged it.
    static func spreadSeries(_ key: String, name: String, members: [Member]) -> LineChart.Series {
        var byEpoch: [Int: [Double]] = [:]
        for member in members {
            for line in member.strategy.metrics {
                if let value = line[key] { byEpoch[line.epoch, default: []].append(value) }
            }
        }
        var series = LineChart.Series(name: name, points: [])
        for epoch in byEpoch.keys.sorted() {
            guard let stats = SampleStatistics(byEpoch[epoch] ?? []) else { continue }
            series.points.append((Double(epoch), stats.mean))
            if stats.count > 1 {
                series.band.append(
                    (Double(epoch), stats.mean - stats.standardDeviation, stats.mean + stats.standardDeviation))
            }
        }
        return series
    }

    /// A relative path for an `href`: each component percent-encoded.
    static func percentEncoded(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { component in
            String(component).addingPercentEncoding(
                withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"]))
                ?? String(component)
        }.joined(separator: "/")
    }
}
