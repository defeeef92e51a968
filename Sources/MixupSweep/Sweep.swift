import Foundation

/// An ablation: a base recipe run over the cartesian product of axes — strategies, α, Manifold Mixup mix-point sets,
/// label counts, any other `mixup run` flag — and seeds. Every cell is one `mixup run` process with its own output
/// folder, so a user's own recipes and strategies take part exactly like the built-ins: the cells re-invoke the
/// executable that runs the sweep (a package's `RecipeCommand.main` binary sweeps its own recipes).
///
/// ```swift
/// let sweep = Sweep(
///     recipe: "mnist-mlp", outputDirectory: "sweeps/mlp",
///     strategies: ["erm", "mixup", "manifold"], alphas: [0.2, 1, 2], seeds: Array(0..<5),
///     arguments: ["--epochs", "3"])
/// let outcome = try SweepRunner(jobs: 2).run(sweep)
/// ```
///
/// Cell order: strategies outermost, then α, mix-point sets, labels, the ``options`` in order, and seeds innermost.
/// An axis that does not apply to a strategy (α for `erm`, mix points for anything but Manifold Mixup, see
/// ``strategiesWithoutAlpha`` and ``strategiesWithMixPoints``) is left out of that strategy's cells, and the duplicate
/// configurations this would create are dropped.
public struct Sweep: Codable, Sendable, Equatable {
    /// The recipe every cell runs (`mixup list`).
    public var recipe: String
    /// The sweep folder: `sweep.json`, one folder per configuration and seed, and the results.
    public var outputDirectory: String
    /// `--strategy` values; empty runs the recipe's own regularizer or comparison.
    public var strategies: [String]
    /// `--alpha` values, each > 0; empty uses each strategy's default.
    public var alphas: [Double]
    /// `--mix-points` sets (Manifold Mixup's candidate layers, e.g. `["input", "hidden1"]`); empty: the model's all.
    public var mixPointSets: [[String]]
    /// `--labels` values (semi-supervised recipes).
    public var labels: [Int]
    /// Further axes over any `mixup run` flag.
    public var options: [SweepOption]
    /// The seeds every configuration runs with; at least one.
    public var seeds: [UInt64]
    /// Arguments passed to every cell, e.g. `["--epochs", "3", "--data", "/data/mnist"]`.
    public var arguments: [String]
    /// The configuration the others are compared with (paired over seeds); `nil`: the first.
    public var baseline: String?
    /// Strategies that take no α: the α axis is left out of their cells.
    public var strategiesWithoutAlpha: [String]
    /// Strategies that take `--mix-points`: the mix-point axis applies only to their cells.
    public var strategiesWithMixPoints: [String]
    /// The command line that created the sweep, shown in the results (informational).
    public var commandLine: String?

    /// Creates a sweep.
    ///
    /// - Parameters:
    ///   - recipe: the recipe name.
    ///   - outputDirectory: the sweep folder.
    ///   - strategies: `--strategy` values (empty: the recipe's own).
    ///   - alphas: `--alpha` values.
    ///   - mixPointSets: `--mix-points` sets.
    ///   - labels: `--labels` values.
    ///   - options: further axes.
    ///   - seeds: the seeds (default `[0]`).
    ///   - arguments: arguments shared by every cell.
    ///   - baseline: the configuration to compare with (default: the first).
    public init(
        recipe: String, outputDirectory: String, strategies: [String] = [], alphas: [Double] = [],
        mixPointSets: [[String]] = [], labels: [Int] = [], options: [SweepOption] = [], seeds: [UInt64] = [0],
        arguments: [String] = [], baseline: String? = nil
    ) {
        self.recipe = recipe
        self.outputDirectory = outputDirectory
        self.strategies = strategies
        self.alphas = alphas
        self.mixPointSets = mixPointSets
        self.labels = labels
        self.options = options
        self.seeds = seeds
        self.arguments = arguments
        self.baseline = baseline
        self.strategiesWithoutAlpha = ["erm", "resizemix"]
        self.strategiesWithMixPoints = ["manifold", "manifold-mixup"]
        self.commandLine = nil
    }

    /// Checks the values the cells cannot: at least one seed, no duplicate seeds, α > 0, non-empty mix-point sets,
    /// positive label counts, no option that the sweep sets itself.
    ///
    /// - Throws: ``SweepError/invalidArgument(_:)`` naming the bad value.
    public func validate() throws(SweepError) {
        guard !recipe.isEmpty else { throw .invalidArgument("the sweep needs a recipe name") }
        guard !seeds.isEmpty else { throw .invalidArgument("the sweep needs at least one seed") }
        if let duplicate = seeds.first(where: { seed in seeds.filter { $0 == seed }.count > 1 }) {
            throw .invalidArgument("seed \(duplicate) is listed twice")
        }
        if let alpha = alphas.first(where: { !($0 > 0 && $0.isFinite) }) {
            throw .invalidArgument("α must be a positive number, got \(alpha)")
        }
        if mixPointSets.contains(where: { $0.isEmpty || $0.contains(where: \.isEmpty) }) {
            throw .invalidArgument("a mix-point set is empty: \(mixPointSets)")
        }
        if let count = labels.first(where: { $0 <= 0 }) {
            throw .invalidArgument("--labels needs positive counts, got \(count)")
        }
        let reserved = ["seed", "out", "resume", "strategy", "alpha", "mix-points", "labels"]
        for option in options {
            guard !reserved.contains(option.flag) else {
                throw .invalidArgument(
                    "--\(option.flag) cannot be an extra axis: the sweep sets it (use its own axis or --seeds)")
            }
            guard !option.values.isEmpty else { throw .invalidArgument("the axis --\(option.flag) has no values") }
        }
        for flag in ["--seed", "--out", "--resume"] where arguments.contains(flag) {
            throw .invalidArgument("\(flag) cannot be a shared argument: the sweep sets it for each cell")
        }
        let names = configurations
        if let baseline, !names.contains(baseline) {
            throw .invalidArgument(
                "baseline \"\(baseline)\" is not a configuration of this sweep; they are: \(names.joined(separator: ", "))"
            )
        }
    }

    /// The configurations (one value per applicable axis), in cell order, without duplicates.
    var configurationSettings: [[SweepSetting]] {
        var axes: [[SweepSetting?]] = []
        axes.append(strategies.isEmpty ? [nil] : strategies.map { SweepSetting(axis: "strategy", value: $0) })
        axes.append(alphas.isEmpty ? [nil] : alphas.map { SweepSetting(axis: "alpha", value: Self.format($0)) })
        axes.append(
            mixPointSets.isEmpty
                ? [nil] : mixPointSets.map { SweepSetting(axis: "mix-points", value: $0.joined(separator: "+")) })
        axes.append(labels.isEmpty ? [nil] : labels.map { SweepSetting(axis: "labels", value: String($0)) })
        for option in options { axes.append(option.values.map { SweepSetting(axis: option.flag, value: $0) }) }
        var result: [[SweepSetting]] = []
        var seen = Set<[SweepSetting]>()
        var combination: [SweepSetting?] = []
        func expand(_ depth: Int) {
            guard depth < axes.count else {
                let settings = applicable(combination.compactMap { $0 })
                if seen.insert(settings).inserted { result.append(settings) }
                return
            }
            for value in axes[depth] {
                combination.append(value)
                expand(depth + 1)
                combination.removeLast()
            }
        }
        expand(0)
        return result
    }

    /// Drops the axes that do not apply to the configuration's strategy.
    private func applicable(_ settings: [SweepSetting]) -> [SweepSetting] {
        guard let strategy = settings.first(where: { $0.axis == "strategy" })?.value else { return settings }
        return settings.filter { setting in
            switch setting.axis {
            case "alpha": !strategiesWithoutAlpha.contains(strategy)
            case "mix-points": strategiesWithMixPoints.contains(strategy)
            default: true
            }
        }
    }

    /// The configuration names, in cell order.
    public var configurations: [String] { configurationSettings.map(Self.name) }

    /// The baseline configuration: ``baseline`` or the first.
    public var baselineConfiguration: String? { baseline ?? configurations.first }

    /// Every cell: configurations in axis order, seeds innermost. Indices are positions in this array.
    public var cells: [SweepCell] {
        var cells: [SweepCell] = []
        for settings in configurationSettings {
            let configuration = Self.name(settings)
            var flags: [String] = []
            for setting in settings {
                flags.append("--\(setting.axis)")
                flags.append(
                    setting.axis == "mix-points"
                        ? setting.value.replacingOccurrences(of: "+", with: ",") : setting.value)
            }
            for seed in seeds {
                let directory = ((outputDirectory as NSString).appendingPathComponent(configuration) as NSString)
                    .appendingPathComponent("seed\(seed)")
                cells.append(
                    SweepCell(
                        index: cells.count, configuration: configuration, settings: settings, seed: seed,
                        directory: directory,
                        arguments: ["run", recipe] + arguments + flags + ["--seed", String(seed), "--out", directory]))
            }
        }
        return cells
    }

    /// `axis=value` pairs joined by `_`, or `base` when nothing is swept.
    static func name(_ settings: [SweepSetting]) -> String {
        settings.isEmpty ? "base" : settings.map { "\($0.axis)=\($0.value)" }.joined(separator: "_")
    }

    /// `1` for 1.0, `0.2` for 0.2: the shortest text that reads back as the same number.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// The path of the sweep's description inside `directory`.
    public static func specificationPath(in directory: String) -> String {
        (directory as NSString).appendingPathComponent("sweep.json")
    }

    /// Writes `sweep.json` into the sweep folder (creating it). A folder may gain axis values and seeds between runs
    /// (cell names say what differs), but not a different recipe or different shared arguments: its finished cells
    /// would be reused as if they had run with the new ones.
    ///
    /// - Throws: ``SweepError/invalidArgument(_:)`` when the folder holds a sweep of another recipe or other shared
    ///   arguments; ``SweepError/unwritable(path:reason:)``.
    public func save() throws(SweepError) {
        let path = Self.specificationPath(in: outputDirectory)
        if FileManager.default.fileExists(atPath: path) {
            let saved = try Self.load(from: outputDirectory)
            guard saved.recipe == recipe, saved.arguments == arguments else {
                throw .invalidArgument(
                    "\(outputDirectory) holds a sweep of \(saved.recipe) with shared arguments \(saved.arguments), "
                        + "not \(recipe) with \(arguments); choose another --out or remove the folder")
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
    }

    /// Reads the `sweep.json` of a sweep folder. The folder given here wins over the one recorded in the file, so a
    /// sweep folder can be moved or copied before `mixup sweep report`.
    ///
    /// - Throws: ``SweepError/unreadable(path:reason:)``.
    public static func load(from directory: String) throws(SweepError) -> Sweep {
        let path = specificationPath(in: directory)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "no such file (is \(directory) a sweep folder?)")
        }
        do {
            var sweep = try JSONDecoder().decode(Sweep.self, from: data)
            sweep.outputDirectory = directory
            return sweep
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
    }
}
