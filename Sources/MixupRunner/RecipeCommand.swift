import Foundation
import MixupKit
import MixupReport

/// The `mixup` command line: `mixup list`, `mixup run <recipe> [flags]`, `mixup --help`.
///
/// A package that depends on MixupKit runs its own recipes with the same flags, progress and outputs:
/// ```swift
/// // Sources/my-runs/main.swift
/// import MixupRunner
/// RecipeCommand.main(recipes: [myRecipe])
/// ```
public enum RecipeCommand {
    /// Parses `CommandLine.arguments`, runs, and exits with status 0 on success, 1 on a failed run, 2 on a usage error.
    public static func main(recipes: [Recipe], arguments: [String] = CommandLine.arguments) -> Never {
        exit(run(arguments: Array(arguments.dropFirst()), recipes: recipes))
    }

    /// Runs the command given by `arguments` (without the program name) and returns the exit status.
    public static func run(arguments: [String], recipes: [Recipe]) -> Int32 {
        do {
            switch arguments.first {
            case nil, "--help", "-h", "help":
                write(usage(recipes: recipes))
                return arguments.isEmpty ? 2 : 0
            case "list":
                // Pad short names into a column; never cut a long one (`padding(toLength:)` truncates).
                for recipe in recipes {
                    write(
                        recipe.name + String(repeating: " ", count: max(0, 22 - recipe.name.count))
                            + " \(recipe.summary)")
                }
                return 0
            case "sweep":
                let sweep = SweepCommand(recipes: recipes.map(\.name))
                let status = sweep.run(arguments: Array(arguments.dropFirst()))
                writeSweepReportPage(sweep, arguments: Array(arguments.dropFirst()))
                return status
            case "run":
                guard arguments.count >= 2, !arguments[1].hasPrefix("-") else {
                    throw RunnerError("`mixup run` needs a recipe name; `mixup list` shows them")
                }
                guard let recipe = recipes.first(where: { $0.name == arguments[1] }) else {
                    throw RunnerError(
                        "unknown recipe \"\(arguments[1])\"; available: \(recipes.map(\.name).joined(separator: ", "))")
                }
                let options = try parse(Array(arguments.dropFirst(2)))
                do {
                    _ = try execute(recipe, options: options)
                    return 0
                } catch {
                    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                    return 1
                }
            case "report":
                guard arguments.count == 2 else {
                    throw RunnerError("`mixup report` needs one folder: mixup report DIR")
                }
                do {
                    write(try ReportCommand.run(path: arguments[1]))
                    return 0
                } catch {
                    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                    return 1
                }
            default:
                throw RunnerError(
                    "unknown command \"\(arguments[0])\"; use `mixup list`, `mixup run <recipe>` or `mixup --help`")
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 2
        }
    }

    /// The help text.
    public static func usage(recipes: [Recipe]) -> String {
        """
        mixup — train with Mixup-family regularizers and mixup-based semi-supervised learning

        USAGE:
          mixup list                      list the recipes
          mixup run <recipe> [flags]      train a recipe
          mixup report DIR                rebuild report.html of a run folder (sweep-report.html of a sweep folder)
          mixup sweep <recipe> [axes]     run an ablation grid × seeds; `mixup sweep --help`
          mixup --help                    show this help

        FLAGS for `run`:
          --epochs N        epochs (default: the recipe's)
          --seed S          random seed (default 0); the same seed gives the same run
          --data PATH       folder or file with the recipe's data (MNIST: the IDX files, .gz or not)
          --out DIR         output folder (default runs/<recipe>-<strategy>-seed<S>)
          --strategy NAME   \(StrategyCatalog.names.joined(separator: " | "))
          --alpha A         the strategy's Beta(α, α) concentration, > 0
          --mix-points A,B  Manifold Mixup's candidate mix points, e.g. input,hidden1 (default: all)
          --labels N        labelled samples (semi-supervised recipes)
          --unlabelled-weight W   maximum weight of the unlabelled loss (semi-supervised recipes)
          --batch-size B    batch size
          --steps N         stop after N optimizer steps (smoke runs)
          --limit N         read at most N samples per split
          --threads T       compute threads (default: all cores)
          --resume          continue from <out>/checkpoint.safetensors
          --quiet           no progress output

        The last line of a run is a JSON summary. Recipes: \(recipes.map(\.name).joined(separator: ", "))
        """
    }

    /// Parses the flags after `mixup run <recipe>`.
    ///
    /// - Throws: ``RunnerError`` naming an unknown flag, a missing value or a bad value.
    public static func parse(_ arguments: [String]) throws -> RunOptions {
        var options = RunOptions()
        var index = 0
        func value(_ flag: String) throws -> String {
            index += 1
            guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                throw RunnerError("\(flag) needs a value")
            }
            return arguments[index]
        }
        func positive(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let number = Int(text), number > 0 else {
                throw RunnerError("\(flag) needs a positive integer, got \"\(text)\"")
            }
            return number
        }
        while index < arguments.count {
            let flag = arguments[index]
            switch flag {
            case "--epochs": options.epochs = try positive(flag)
            case "--seed":
                let text = try value(flag)
                guard let seed = UInt64(text) else {
                    throw RunnerError("--seed needs a non-negative integer, got \"\(text)\"")
                }
                options.seed = seed
            case "--data": options.dataPath = try value(flag)
            case "--out": options.outputDirectory = try value(flag)
            case "--strategy":
                let name = try value(flag)
                guard StrategyCatalog.names.contains(name) || name == "manifold-mixup" else {
                    throw RunnerError(
                        "unknown strategy \"\(name)\"; choose one of \(StrategyCatalog.names.joined(separator: ", "))")
                }
                options.strategy = name
            case "--alpha":
                let text = try value(flag)
                guard let alpha = Double(text), alpha > 0, alpha.isFinite else {
                    throw RunnerError("--alpha must be a positive number, got \"\(text)\"")
                }
                options.alpha = alpha
            case "--mix-points":
                let text = try value(flag)
                let points = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard !points.contains(where: \.isEmpty) else {
                    throw RunnerError("--mix-points needs names separated by commas, got \"\(text)\"")
                }
                options.mixPoints = points
            case "--labels": options.labels = try positive(flag)
            case "--unlabelled-weight":
                let text = try value(flag)
                guard let weight = Double(text), weight >= 0, weight.isFinite else {
                    throw RunnerError("--unlabelled-weight must be a non-negative number, got \"\(text)\"")
                }
                options.unlabelledWeight = weight
            case "--batch-size": options.batchSize = try positive(flag)
            case "--steps": options.maximumSteps = try positive(flag)
            case "--limit": options.limit = try positive(flag)
            case "--threads": options.threads = try positive(flag)
            case "--resume": options.resume = true
            case "--quiet": options.quiet = true
            default:
                throw RunnerError("unknown flag \"\(flag)\"; see `mixup --help`")
            }
            index += 1
        }
        return options
    }

    /// Trains `recipe` with `options`: one regularizer (`--strategy` or the recipe's), or the recipe's comparison.
    /// Prints a results table and, as the last line, a one-line JSON summary on standard output.
    ///
    /// - Returns: the summary object that was printed.
    @discardableResult
    public static func execute(_ recipe: Recipe, options: RunOptions) throws -> [String: Any] {
        if let threads = options.threads { ComputeThreads.set(threads) }
        let regularizers: [Regularizer]
        if let points = options.mixPoints {
            guard ["manifold", "manifold-mixup"].contains(options.strategy) else {
                throw RunnerError("--mix-points needs --strategy manifold, got \(options.strategy ?? "no --strategy")")
            }
            regularizers = [try .manifoldMixup(alpha: options.alpha ?? 2, mixPoints: points)]
        } else if let name = options.strategy {
            regularizers = [try StrategyCatalog.regularizer(named: name, alpha: options.alpha)]
        } else if !recipe.comparison.isEmpty {
            regularizers = recipe.comparison
        } else {
            regularizers = [recipe.regularizer]
        }
        let data = try recipe.data(
            DataRequest(path: options.dataPath, seed: options.seed, labels: options.labels, limit: options.limit))
        let strategyLabel = regularizers.map(\.name).joined(separator: "+")
        let root = options.outputDirectory ?? "runs/\(recipe.name)-\(strategyLabel)-seed\(options.seed)"
        let epochs = options.epochs ?? recipe.epochs
        let batchSize = options.batchSize ?? recipe.batchSize
        let start = Date()
        var runs: [(regularizer: Regularizer, model: any MixableModel, result: TrainingResult)] = []
        for regularizer in regularizers {
            var generator = SeededGenerator(seed: options.seed)
            let model = recipe.model(&generator)
            let optimizer = recipe.optimizer.make(parameters: model.allParameters)
            // An epoch is a pass over the unlabelled set when there is one (see `Trainer.stepsPerEpoch`).
            let epochSamples = data.unlabelled?.count ?? data.train.count
            let epochBatch = data.unlabelled == nil ? batchSize : (recipe.unlabelledBatchSize ?? batchSize)
            let stepsPerEpoch = (epochSamples + epochBatch - 1) / epochBatch
            let totalSteps = min(stepsPerEpoch * epochs, options.maximumSteps ?? Int.max)
            let configuration = TrainerConfiguration(
                epochs: epochs, batchSize: batchSize, unlabelledBatchSize: recipe.unlabelledBatchSize,
                seed: options.seed,
                outputDirectory: regularizers.count > 1
                    ? (root as NSString).appendingPathComponent(regularizer.name) : root,
                resume: options.resume, progress: options.quiet ? .silent : .automatic,
                augmentation: recipe.augmentation,
                evaluationInterval: recipe.evaluationInterval,
                maximumSteps: options.maximumSteps)
            let trainer = Trainer(
                model: model, objective: try recipe.objective(regularizer, options), optimizer: optimizer,
                schedule: recipe.schedule.make(rate: recipe.optimizer.learningRate, totalSteps: totalSteps),
                trainingSet: data.train, unlabelledSet: data.unlabelled, testSet: data.test,
                configuration: configuration)
            trainer.label = regularizer.name
            trainer.metadata = ["recipe": recipe.name, "strategy": regularizer.name]
            let result = try trainer.run()
            runs.append((regularizer, model, result))
        }
        let table = ResultTable(rows: runs.map { ($0.regularizer.name, $0.result) })
        print(table.render())
        try recipe.report?(RecipeReport(outputDirectory: root, data: data, runs: runs))
        var summary: [String: Any] = [
            "recipe": recipe.name, "strategy": strategyLabel, "seed": options.seed, "epochs": epochs,
            "seconds": rounded(Date().timeIntervalSince(start)), "output": root,
        ]
        if let labels = options.labels { summary["labels"] = labels }
        if let last = runs.last?.result.test {
            summary["test_error"] = rounded(last.error)
            summary["test_nll"] = rounded(last.negativeLogLikelihood)
        }
        if runs.count > 1 {
            summary["results"] = runs.map { run -> [String: Any] in
                var entry: [String: Any] = ["strategy": run.regularizer.name, "seconds": rounded(run.result.seconds)]
                if let test = run.result.test {
                    entry["test_error"] = rounded(test.error)
                    entry["test_nll"] = rounded(test.negativeLogLikelihood)
                }
                return entry
            }
        }
        let json = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
        do {
            try RunReport.finishRun(folder: root, summaryJSON: json, options: options)
        } catch {
            FileHandle.standardError.write(Data("warning: the run report was not written: \(error)\n".utf8))
        }
        return summary
    }

    static func write(_ text: String) { print(text) }

    /// After `mixup sweep` (run here, or `sweep report DIR`), writes `sweep-report.html` beside `results.md`; a Slurm
    /// submission has no results yet (`mixup sweep report DIR` writes it after the array).
    static func writeSweepReportPage(_ sweep: SweepCommand, arguments: [String]) {
        let folder: String?
        if arguments.first == "report", arguments.count == 2 {
            folder = arguments[1]
        } else if let invocation = try? sweep.parse(arguments), invocation.slurm == nil {
            folder = invocation.sweep.outputDirectory
        } else {
            folder = nil
        }
        guard let folder, FileManager.default.fileExists(atPath: folder) else { return }
        do {
            write(try SweepReportPage.write(sweepFolder: folder))
        } catch {
            FileHandle.standardError.write(Data("warning: sweep-report.html was not written: \(error)\n".utf8))
        }
    }

    /// Six decimals: enough for error rates and NLLs, without binary noise like 0.0020000000000000018.
    static func rounded(_ value: Double) -> Double { (value * 1e6).rounded() / 1e6 }
}
