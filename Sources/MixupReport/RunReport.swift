import Foundation

/// `report.html` for one run folder: recipe, strategy, every option and the seed, library version and commit, learning
/// curves (one line per strategy), the final metrics table, every figure the run saved (decision boundaries, analysis
/// figures, mixed-sample previews) and the checkpoint metadata.
///
/// The page is built only from the files in the folder (see ``RunFolder``), with no clock or environment read, so
/// rebuilding it (`mixup report DIR`) gives the same bytes.
public enum RunReport {
    /// The report's file name in the run folder.
    public static let fileName = "report.html"

    /// Ends a run: writes the JSON summary line as `summary.json`, the provenance as `run-info.json`, then
    /// `report.html`.
    ///
    /// - Parameters:
    ///   - folder: the run folder.
    ///   - summaryJSON: the run's one-line JSON summary (a JSON object).
    ///   - options: the run's options (a value whose stored properties are the options, e.g. `RunOptions`).
    /// - Returns: the path of `report.html`.
    @discardableResult
    public static func finishRun(folder: String, summaryJSON: Data, options: Any) throws(ReportError) -> String {
        let summaryPath = (folder as NSString).appendingPathComponent(RunFolder.summaryFileName)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try (summaryJSON + Data("\n".utf8)).write(to: URL(fileURLWithPath: summaryPath), options: .atomic)
        } catch {
            throw .writeFailed(path: summaryPath, reason: error.localizedDescription)
        }
        try RunProvenance.current(options: options).write(folder: folder)
        return try write(runFolder: folder)
    }

    /// Reads the run folder at `path` and writes its `report.html`.
    ///
    /// - Returns: the path of the report.
    /// - Throws: ``ReportError`` naming the missing folder, the corrupt file or the failed write.
    @discardableResult
    public static func write(runFolder path: String) throws(ReportError) -> String {
        let html = render(try RunFolder(path: path))
        let output = (path as NSString).appendingPathComponent(fileName)
        do {
            try Data(html.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw .writeFailed(path: output, reason: error.localizedDescription)
        }
        return output
    }

    /// The learning curves drawn for every run: metrics key, figure id, title and y-axis label.
    static let curves: [(key: String, id: String, title: String, axis: String)] = [
        ("train_loss", "train-loss", "Training loss (mixed batches)", "loss"),
        ("train_error", "train-error", "Training error on mixed batches", "error"),
        ("test_error", "test-error", "Test error", "error"),
        ("test_nll", "test-nll", "Test negative log-likelihood", "NLL (nats)"),
    ]

    /// The HTML of the report for `run`.
    public static func render(_ run: RunFolder) -> String {
        let strategyLabel = run.summary["strategy"] ?? run.strategies.map(\.name).joined(separator: "+")
        var page = ReportPage(title: "Run report: \(run.recipe) · \(strategyLabel)")
        page.paragraph(
            "Built from the files in this run folder (summary.json, run-info.json, metrics.jsonl, the checkpoint "
                + "metadata and any SVG figures); `mixup report <folder>` rebuilds the same page.",
            className: "note")

        page.heading("Run", id: "run")
        let lastEpoch = run.strategies.compactMap { $0.metrics.last?.epoch }.max().map(String.init) ?? "none"
        page.fields(
            [
                ("recipe", run.recipe), ("strategy", strategyLabel), ("seed", run.seed),
                ("epochs", run.summary["epochs"] ?? lastEpoch), ("epochs logged", lastEpoch),
                ("MixupKit version", run.provenance?.libraryVersion ?? "unknown"),
                ("commit", run.provenance?.commit ?? "unknown"),
            ], id: "run-fields")

        page.heading("Options", id: "options")
        if let options = run.provenance?.options, !options.isEmpty {
            page.table(header: ["option", "value"], rows: options.map { [$0.name, $0.value] }, id: "options-table")
        } else {
            page.paragraph("No run-info.json in this folder: the options are unknown.", className: "note")
        }

        page.heading("Learning curves", id: "curves")
        page.raw("<div class=\"figures\">\n")
        var missing: [String] = []
        for curve in curves {
            let chart = LineChart(
                title: curve.title, xLabel: "epoch", yLabel: curve.axis,
                series: run.strategies.map { strategy in
                    LineChart.Series(name: strategy.name, points: points(curve.key, of: strategy))
                })
            guard chart.hasData else {
                missing.append(curve.title.lowercased())
                continue
            }
            page.figure(id: curve.id, svg: chart.render(), caption: caption(curve.key, strategies: run.strategies))
        }
        page.raw("</div>\n")
        if !missing.isEmpty {
            page.paragraph("Not recorded in metrics.jsonl: \(missing.joined(separator: ", ")).", className: "note")
        }

        page.heading("Final metrics", id: "final-metrics")
        page.table(
            header: [
                "strategy", "epoch", "train loss", "train error (mixed batches)", "test error", "test NLL", "seconds",
            ],
            rows: run.strategies.map { strategy in
                [
                    strategy.name, strategy.metrics.last.map { String($0.epoch) } ?? "-",
                    strategy.last("train_loss").map { String(format: "%.4f", $0) } ?? "-",
                    strategy.last("train_accuracy").map { String(format: "%.2f%%", 100 * (1 - $0)) } ?? "-",
                    strategy.last("test_error").map { String(format: "%.2f%%", 100 * $0) } ?? "-",
                    strategy.last("test_nll").map { String(format: "%.4f", $0) } ?? "-",
                    strategy.last("elapsed_seconds").map { String(format: "%.1f", $0) } ?? "-",
                ]
            }, id: "final-metrics-table")
        let extras = Set(run.strategies.flatMap { $0.metrics.last?.values.keys.map { $0 } ?? [] })
            .subtracting(standardKeys).sorted()
        if !extras.isEmpty {
            page.heading("Objective-specific metrics (last epoch)", level: 3)
            page.table(
                header: ["strategy"] + extras,
                rows: run.strategies.map { strategy in
                    [strategy.name] + extras.map { key in strategy.last(key).map(JSONNode.format) ?? "-" }
                })
        }

        if !run.figures.isEmpty {
            page.heading("Figures", id: "figures")
            for figure in run.figures {
                page.figure(
                    id: figureID(figure.relativePath), svg: figure.svg,
                    caption: "\(figureCaption(figure.relativePath)) (\(figure.relativePath))")
            }
        }

        page.heading("Checkpoint metadata", id: "checkpoint")
        for strategy in run.strategies {
            if run.strategies.count > 1 { page.heading(strategy.name, level: 3) }
            if strategy.checkpointMetadata.isEmpty {
                page.paragraph("No checkpoint in \(strategy.relativePath).", className: "note")
            } else {
                page.fields(
                    strategy.checkpointMetadata.keys.sorted().map { ($0, strategy.checkpointMetadata[$0] ?? "") })
            }
        }

        if !run.summary.isEmpty {
            page.heading("Summary (summary.json)", id: "summary")
            page.fields(run.summary.keys.sorted().map { ($0, run.summary[$0] ?? "") }, id: "summary-table")
        }
        return page.render()
    }

    /// Keys of `metrics.jsonl` shown in the main table or not meant as metrics.
    static let standardKeys: Set<String> = [
        "epoch", "train_loss", "train_accuracy", "test_error", "test_accuracy", "test_nll", "learning_rate",
        "samples_per_second", "elapsed_seconds",
    ]

    /// The points of a curve; `train_error` is derived as 1 − `train_accuracy`.
    static func points(_ key: String, of strategy: StrategyRun) -> [(x: Double, y: Double)] {
        key == "train_error" ? strategy.series("train_accuracy").map { ($0.x, 1 - $0.y) } : strategy.series(key)
    }

    static func caption(_ key: String, strategies: [StrategyRun]) -> String {
        let lines = strategies.count > 1 ? "One line per strategy." : "One line: \(strategies.first?.name ?? "")."
        switch key {
        case "train_loss":
            return "Mean training loss of each epoch, on the batches as trained (mixed). \(lines)"
        case "train_error":
            return
                "1 − training accuracy, measured on the mixed batches against the dominant class of each mixed target "
                + "(not clean training accuracy). \(lines)"
        case "test_error":
            return "Error on the test split at the epochs it was evaluated. \(lines)"
        default:
            return "Mean negative log-likelihood of the test labels (calibration). \(lines)"
        }
    }

    /// A figure's id from its path: lowercase letters, digits and dashes.
    static func figureID(_ relativePath: String) -> String {
        let stem = PathText.stem(relativePath).lowercased()
        return String(stem.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    static func figureCaption(_ relativePath: String) -> String {
        let name = PathText.lastComponent(relativePath).lowercased()
        if name.contains("decision") {
            return "Decision boundaries with confidence shading (Verma et al. 2019, Figure 1)"
        }
        if name.contains("mix") && (name.contains("sample") || name.contains("preview")) {
            return "Mixed-sample preview"
        }
        if relativePath.lowercased().contains("analy") { return "Analysis figure" }
        return "Figure"
    }
}
