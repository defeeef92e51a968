import Foundation
import MixupKit

/// `mixup analyze <run-folder> [flags]`: loads the checkpoint(s) of a finished run, rebuilds the recipe's model and
/// data, and writes `analysis.json`, `analysis.md` and SVG figures next to each checkpoint (Verma et al. 2019;
/// Zhang et al. 2018 — the claims beyond test error). With no measurement flag, everything that applies is measured.
public enum AnalyzeCommand {
    /// The flags of `mixup analyze`.
    public struct Options: Sendable, Equatable {
        /// The run folder: it holds `checkpoint.safetensors`, or sub-folders that do (a comparison run).
        public var folder: String
        /// The measurements asked for; empty means every applicable one.
        public var measurements: Set<Measurement> = []
        /// `--flattening POINT`: the mix point for the flattening measurement (default: `bottleneck` if the model
        /// has one, else its last hidden point).
        public var flatteningPoint: String?
        /// `--epsilons a,b,c`: the attack radii (default 0, 0.05, …, 0.3 of the input range).
        public var epsilons: [Float]?
        /// `--pgd-steps N` (default 10).
        public var pgdSteps = 10
        /// `--pgd-step-size S` (default 2.5 ε / steps).
        public var pgdStepSize: Float?
        /// `--samples N`: test samples attacked and deformed (default 1000).
        public var attackSamples = 1000
        /// `--data PATH`: where the recipe's data is (default: the path recorded in the checkpoint, else the
        /// recipe's default).
        public var dataPath: String?
        /// `--seed S`: the seed of the analysis's own random draws (attack starts, deformations, pairs).
        public var seed: UInt64 = 0
        /// `--threads T`.
        public var threads: Int?

        /// Options for `folder` with every default.
        public init(folder: String) { self.folder = folder }
    }

    /// One measurement of `mixup analyze`.
    public enum Measurement: String, Sendable, CaseIterable {
        case calibration, fgsm, pgd, flattening, deformations
        case betweenPoints = "between-points"
    }

    /// The help text.
    public static let usage = """
        mixup analyze <run-folder> [flags] — measure trained models; writes analysis.json, analysis.md and SVGs

          --calibration       ECE (15 bins), adaptive ECE, MCE, Brier, NLL; temperature scaling; calibration.svg
          --fgsm              test error under FGSM for each ε; adversarial.svg
          --pgd               test error under L∞ PGD for each ε
          --flattening POINT  singular values of class-conditional representations at mix point POINT
          --deformations      test error on rotated, sheared and zoomed test images
          --between-points    miss rate and input-gradient norm at λxᵢ + (1 − λ)xⱼ; between_points.svg
          --epsilons LIST     attack radii, comma-separated (default 0,0.05,…,0.3 × input range)
          --pgd-steps N       PGD steps (default 10)      --pgd-step-size S   (default 2.5 ε / steps)
          --samples N         test samples attacked and deformed (default 1000)
          --data PATH         the recipe's data (default: as recorded in the checkpoint)
          --seed S            seed of the analysis's random draws (default 0)
          --threads T         compute threads

        With no measurement flag, every applicable measurement is made. A folder holding sub-folders with
        checkpoints (a comparison run) is analysed model by model, with a comparison in <run-folder>/analysis.md.
        """

    /// Parses the arguments after `mixup analyze`.
    ///
    /// - Throws: ``RunnerError`` naming an unknown flag or a bad value.
    public static func parse(_ arguments: [String]) throws -> Options {
        guard let folder = arguments.first, !folder.hasPrefix("-") else {
            throw RunnerError.missingValue(flag: "mixup analyze <run-folder>")
        }
        var options = Options(folder: folder)
        var index = 1
        func value(_ flag: String) throws -> String {
            index += 1
            guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                throw RunnerError.missingValue(flag: flag)
            }
            return arguments[index]
        }
        func positive(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let number = Int(text), number > 0 else {
                throw RunnerError.invalidValue(flag: flag, value: text, expected: "a positive integer")
            }
            return number
        }
        while index < arguments.count {
            let flag = arguments[index]
            switch flag {
            case "--calibration": options.measurements.insert(.calibration)
            case "--fgsm": options.measurements.insert(.fgsm)
            case "--pgd": options.measurements.insert(.pgd)
            case "--deformations": options.measurements.insert(.deformations)
            case "--between-points": options.measurements.insert(.betweenPoints)
            case "--flattening":
                options.measurements.insert(.flattening)
                if index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") {
                    options.flatteningPoint = try value(flag)
                }
            case "--epsilons":
                let text = try value(flag)
                let values = text.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
                guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0! >= 0 && $0!.isFinite }) else {
                    throw RunnerError.invalidValue(flag: flag, value: text, expected: "comma-separated numbers ≥ 0")
                }
                options.epsilons = values.compactMap { $0 }
            case "--pgd-steps": options.pgdSteps = try positive(flag)
            case "--pgd-step-size":
                let text = try value(flag)
                guard let size = Float(text), size > 0, size.isFinite else {
                    throw RunnerError.invalidValue(flag: flag, value: text, expected: "a positive number")
                }
                options.pgdStepSize = size
            case "--samples": options.attackSamples = try positive(flag)
            case "--data": options.dataPath = try value(flag)
            case "--seed":
                let text = try value(flag)
                guard let seed = UInt64(text) else {
                    throw RunnerError.invalidValue(flag: flag, value: text, expected: "a non-negative integer")
                }
                options.seed = seed
            case "--threads": options.threads = try positive(flag)
            default: throw RunnerError.unknownFlag(flag)
            }
            index += 1
        }
        return options
    }

    /// The folders under `folder` (itself, or its immediate sub-folders) that hold a checkpoint, sorted by name.
    static func checkpointFolders(in folder: String) throws -> [String] {
        let manager = FileManager.default
        if manager.fileExists(atPath: (folder as NSString).appendingPathComponent("checkpoint.safetensors")) {
            return [folder]
        }
        let children = (try? manager.contentsOfDirectory(atPath: folder)) ?? []
        let found = children.sorted().map { (folder as NSString).appendingPathComponent($0) }.filter {
            manager.fileExists(atPath: ($0 as NSString).appendingPathComponent("checkpoint.safetensors"))
        }
        guard !found.isEmpty else {
            throw RunnerError.missingData(
                "no checkpoint.safetensors in \(folder) or its sub-folders (train with `mixup run` first)")
        }
        return found
    }

    /// Runs the analysis, writes the files, prints a one-line JSON summary on standard output and returns it.
    @discardableResult
    public static func execute(
        _ options: Options, recipes: [Recipe], reporter: any RunReporter = StandardStreamsReporter()
    ) throws -> [String: Any] {
        let previousThreads = ComputeThreads.count
        if let threads = options.threads { ComputeThreads.set(threads) }
        defer { ComputeThreads.set(previousThreads) }
        var analyses: [(folder: String, analysis: ModelAnalysis)] = []
        for folder in try checkpointFolders(in: options.folder) {
            let analysis = try analyze(folder: folder, options: options, recipes: recipes, reporter: reporter)
            analyses.append((folder, analysis))
        }
        if analyses.count > 1 {
            try write(
                comparison(analyses.map(\.analysis)),
                to: (options.folder as NSString).appendingPathComponent("analysis.md"), reporter: reporter)
            try write(
                robustnessChart(analyses.map(\.analysis)),
                to: (options.folder as NSString).appendingPathComponent("adversarial.svg"), reporter: reporter)
        }
        let summary: [String: Any] = [
            "command": "analyze", "folder": options.folder,
            "models": analyses.map { summaryEntry($0.analysis, folder: $0.folder) },
        ]
        let json = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
        reporter.output(String(decoding: json, as: UTF8.self))
        return summary
    }

    static func write(_ text: String, to path: String, reporter: any RunReporter) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        reporter.diagnostic("wrote \(path)")
    }

    /// Loads one checkpoint folder and measures its model.
    static func analyze(folder: String, options: Options, recipes: [Recipe], reporter: any RunReporter) throws
        -> ModelAnalysis
    {
        func write(_ text: String, to path: String) throws { try Self.write(text, to: path, reporter: reporter) }
        let checkpointPath = (folder as NSString).appendingPathComponent("checkpoint.safetensors")
        let checkpoint = try Checkpoint(contentsOf: checkpointPath)
        guard let recipeName = checkpoint.metadata["recipe"] else {
            throw RunnerError.invalidData(
                "\(checkpointPath) does not record its recipe (metadata \"recipe\" is missing)")
        }
        guard let recipe = recipes.first(where: { $0.name == recipeName }) else {
            throw RunnerError.unknownRecipe(name: recipeName, available: recipes.map(\.name))
        }
        var recipeFlags: [String: String] = [:]
        for (key, value) in checkpoint.metadata where key.hasPrefix("flag.") {
            recipeFlags[String(key.dropFirst(5))] = value
        }
        let limit = checkpoint.metadata["data_limit"].flatMap { Int($0) }
        // The same data as the run: the recipe's builder, then the runner's `--limit` cut.
        let data = try recipe.data(
            DataRequest(
                path: options.dataPath ?? checkpoint.metadata["data"], seed: checkpoint.seed,
                labels: checkpoint.metadata["labels"].flatMap { Int($0) }, limit: limit, flags: recipeFlags)
        ).limited(to: limit, seed: checkpoint.seed)
        guard let test = data.test else {
            throw RunnerError.missingData("recipe \(recipe.name) has no test set to analyse on")
        }
        guard test.isLabelled else {
            throw RunnerError.invalidData(
                "`mixup analyze` measures classifiers; the test set of recipe \(recipe.name) has no class labels"
                    + (test.isRegression ? " (it is a regression recipe: see test_mse in its summary.json)" : ""))
        }
        var generator = SeededGenerator(seed: checkpoint.seed)
        let model = try recipe.makeModel(
            regularizerName: checkpoint.metadata["strategy"], flags: recipeFlags, using: &generator)
        try checkpoint.restore(
            model: model, optimizer: recipe.optimizer.make(parameters: model.allParameters), objective: nil)
        let name = checkpoint.metadata["strategy"] ?? (folder as NSString).lastPathComponent
        reporter.diagnostic("analyzing \(name) (\(folder))")
        var analysis = ModelAnalysis(name: name, parameterCount: model.parameterCount, testCount: test.count)
        let wanted = options.measurements.isEmpty ? Set(Measurement.allCases) : options.measurements
        var random = SeededGenerator(seed: options.seed)
        let low = data.train.samples.min() ?? 0, high = data.train.samples.max() ?? 1
        let validRange = low...max(high, low + Float.ulpOfOne)

        if wanted.contains(.calibration) {
            var validation = data.validation
            analysis.validationHeldOut = validation != nil
            if validation == nil {
                var splitGenerator = SeededGenerator(seed: options.seed &+ 17)
                let share = min(0.1, 5000 / Double(max(data.train.count, 1)))
                validation = data.train.split(fraction: 1 - share, using: &splitGenerator).validation
            }
            if let validation, validation.count > 0 {
                let report = try TemperatureScaling(
                    validation: ModelPredictions.of(model, on: validation),
                    evaluation: ModelPredictions.of(model, on: test))
                analysis.calibration = report
                try write(
                    CalibrationPlot.svg(panels: [
                        (title: "\(name): as trained", report: report.before),
                        (
                            title: String(format: "temperature-scaled (T = %.2f)", report.temperature),
                            report: report.after
                        ),
                    ]), to: (folder as NSString).appendingPathComponent("calibration.svg"))
            }
        }
        let width = Float(validRange.upperBound - validRange.lowerBound)
        let epsilons = options.epsilons ?? [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3].map { $0 * width }
        if wanted.contains(.fgsm) {
            analysis.fgsm = try RobustnessReport.measure(
                model: model, on: test, epsilons: epsilons, sampleLimit: options.attackSamples, validRange: validRange,
                using: &random
            ) { epsilon throws(AnalysisError) in try FGSMAttack(epsilon: epsilon) }
        }
        if wanted.contains(.pgd) {
            analysis.pgd = try RobustnessReport.measure(
                model: model, on: test, epsilons: epsilons, sampleLimit: options.attackSamples, validRange: validRange,
                using: &random
            ) { epsilon throws(AnalysisError) in
                try PGDAttack(epsilon: epsilon, steps: options.pgdSteps, stepSize: options.pgdStepSize)
            }
        }
        if analysis.fgsm != nil || analysis.pgd != nil {
            try write(robustnessChart([analysis]), to: (folder as NSString).appendingPathComponent("adversarial.svg"))
        }
        if wanted.contains(.flattening) {
            let hidden = model.mixPoints.filter { $0 != .input }
            let point: MixPoint?
            if let requested = options.flatteningPoint {
                point = try model.mixPoint(named: requested)
            } else {
                point = hidden.first(where: { $0.name == "bottleneck" }) ?? hidden.last
            }
            if let point {
                // Jacobi SVD cost grows with the square of the narrower side: all samples for narrow layers,
                // 100 per class for wide ones.
                var probe = ForwardContext.inference
                let width = withoutGradients {
                    model.forward(test.inputs(at: [0]), from: .input, to: point, context: &probe).count
                }
                analysis.flattening = try FlatteningReport.measure(
                    model: model, at: point, on: test, samplesPerClass: width <= 64 ? nil : 100,
                    includingOverall: width <= 64)
            }
        }
        if wanted.contains(.deformations), test.sampleShape.count == 3 {
            analysis.deformations = try DeformationReport.measure(
                model: model, on: test, sampleLimit: options.attackSamples, using: &random)
        }
        if wanted.contains(.betweenPoints) {
            let report = try BetweenPointsReport.measure(model: model, on: data.train, using: &random)
            analysis.betweenPoints = report
            let chart = LineChart(
                title: "\(name): between training points", xLabel: "λ (weight of xᵢ)", yLabel: "value",
                series: [
                    .init(name: "miss rate", points: report.points.map { ($0.lambda, $0.missRate) }),
                    .init(name: "‖∇ₓ loss‖", points: report.points.map { ($0.lambda, $0.gradientNorm) }),
                ])
            try write(chart.svg(), to: (folder as NSString).appendingPathComponent("between_points.svg"))
        }
        let jsonPath = (folder as NSString).appendingPathComponent("analysis.json")
        try analysis.json().write(to: URL(fileURLWithPath: jsonPath), options: .atomic)
        reporter.diagnostic("wrote \(jsonPath)")
        try write(analysis.markdown(), to: (folder as NSString).appendingPathComponent("analysis.md"))
        return analysis
    }

    /// Error against ε for every attack of every model.
    static func robustnessChart(_ analyses: [ModelAnalysis]) -> String {
        var series: [LineChart.Series] = []
        for analysis in analyses {
            for report in [analysis.fgsm, analysis.pgd].compactMap({ $0 }) {
                let attack = report.attack.hasPrefix("pgd") ? "pgd" : report.attack
                series.append(
                    .init(name: "\(analysis.name) \(attack)", points: report.points.map { ($0.epsilon, $0.error) }))
            }
        }
        return LineChart(title: "Test error under attack", xLabel: "ε (L∞)", yLabel: "error", series: series).svg()
    }

    /// A markdown table comparing the models of a comparison run.
    static func comparison(_ analyses: [ModelAnalysis]) -> String {
        var text =
            "# Analysis\n\n| model | test error | ECE | NLL | ECE after T | FGSM error (largest ε) | PGD error (largest ε) "
        text += "| flattening: largest / rest |\n|---|---|---|---|---|---|---|---|\n"
        func percent(_ value: Double?) -> String { value.map { String(format: "%.2f%%", 100 * $0) } ?? "—" }
        for analysis in analyses {
            let calibration = analysis.calibration
            text += "| \(analysis.name) | \(percent(calibration.map { 1 - $0.before.accuracy })) "
            text += "| \(percent(calibration?.before.expectedCalibrationError)) "
            text += "| \(calibration.map { String(format: "%.4f", $0.before.negativeLogLikelihood) } ?? "—") "
            text += "| \(percent(calibration?.after.expectedCalibrationError)) "
            text += "| \(percent(analysis.fgsm?.points.last?.error)) | \(percent(analysis.pgd?.points.last?.error)) "
            text +=
                "| \(analysis.flattening.map { String(format: "%.2f / %.2f", $0.meanLargest, $0.meanSumOfRest) } ?? "—") |\n"
        }
        return text + "\nPer-model details: `<model>/analysis.md` and `<model>/analysis.json`.\n"
    }

    /// The key numbers of one model for the JSON summary line.
    static func summaryEntry(_ analysis: ModelAnalysis, folder: String) -> [String: Any] {
        func rounded(_ value: Double) -> Double { (value * 1e6).rounded() / 1e6 }
        var entry: [String: Any] = ["name": analysis.name, "folder": folder]
        if let calibration = analysis.calibration {
            entry["test_error"] = rounded(1 - calibration.before.accuracy)
            entry["ece"] = rounded(calibration.before.expectedCalibrationError)
            entry["nll"] = rounded(calibration.before.negativeLogLikelihood)
            entry["temperature"] = rounded(calibration.temperature)
            entry["ece_scaled"] = rounded(calibration.after.expectedCalibrationError)
        }
        if let fgsm = analysis.fgsm { entry["fgsm_error"] = fgsm.points.map { rounded($0.error) } }
        if let pgd = analysis.pgd { entry["pgd_error"] = pgd.points.map { rounded($0.error) } }
        if let flattening = analysis.flattening {
            entry["flattening"] = [rounded(flattening.meanLargest), rounded(flattening.meanSumOfRest)]
        }
        return entry
    }
}
