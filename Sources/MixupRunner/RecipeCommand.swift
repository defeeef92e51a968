import Foundation
import MixupKit
import MixupReport

/// The `mixup` command line: `mixup list`, `mixup run <recipe> [flags]`, `mixup preview`, `mixup --help`.
///
/// A package that depends on MixupKit runs its own recipes — and its own strategies — with the same flags, progress
/// and outputs:
/// ```swift
/// // Sources/my-runs/main.swift
/// import MixupRunner
/// RecipeCommand.main(recipes: [myRecipe], strategies: try .builtin.adding(myStrategy))
/// ```
public enum RecipeCommand {
    /// The largest `--threads` accepted.
    public static let maximumThreads = 1024

    /// Parses `CommandLine.arguments`, runs, and exits: 0 on success, 1 on a failed run, 2 on a usage error, 130 when
    /// interrupted by SIGINT and 143 by SIGTERM (after writing a checkpoint).
    ///
    /// As the entry point of a process, it first keeps freed tensor memory for reuse between steps
    /// (`ComputeMemory.retainFreedMemory()`); ``run(arguments:recipes:strategies:reporter:)`` leaves the allocator
    /// alone.
    public static func main(
        recipes: [Recipe], strategies: StrategyCatalog = .builtin, arguments: [String] = CommandLine.arguments
    ) -> Never {
        ComputeMemory.retainFreedMemory()
        exit(run(arguments: Array(arguments.dropFirst()), recipes: recipes, strategies: strategies))
    }

    /// Runs the command given by `arguments` (without the program name) and returns the exit status (see
    /// ``main(recipes:strategies:arguments:)``).
    public static func run(
        arguments: [String], recipes: [Recipe], strategies: StrategyCatalog = .builtin,
        reporter: any RunReporter = StandardStreamsReporter()
    ) -> Int32 {
        do {
            switch arguments.first {
            case nil, "--help", "-h", "help":
                reporter.output(usage(recipes: recipes, strategies: strategies))
                return arguments.isEmpty ? 2 : 0
            case "list":
                // Pad short names into a column; never cut a long one (`padding(toLength:)` truncates).
                for recipe in recipes {
                    reporter.output(
                        recipe.name + String(repeating: " ", count: max(0, 22 - recipe.name.count))
                            + " \(recipe.summary)")
                }
                // The strategies `--strategy` accepts, so that one command shows every plugin.
                reporter.output("\nSTRATEGIES (--strategy NAME):")
                for registration in strategies.registrations {
                    let names = ([registration.name] + registration.aliases).joined(separator: ", ")
                    reporter.output(
                        names + String(repeating: " ", count: max(0, 22 - names.count)) + " \(registration.summary)")
                }
                return 0
            case "sweep":
                var sweep = SweepCommand(recipes: recipes.map(\.name))
                // One source of truth for which strategies take α: the catalogue the cells will be run with.
                sweep.strategiesWithoutAlpha = strategies.registrations.filter { !$0.takesAlpha }
                    .flatMap { [$0.name] + $0.aliases }
                let status = sweep.run(arguments: Array(arguments.dropFirst()))
                writeSweepReportPage(sweep, arguments: Array(arguments.dropFirst()), reporter: reporter)
                return status
            case "run":
                guard arguments.count >= 2, !arguments[1].hasPrefix("-") else { throw RunnerError.missingRecipeName }
                guard let recipe = recipes.first(where: { $0.name == arguments[1] }) else {
                    throw RunnerError.unknownRecipe(name: arguments[1], available: recipes.map(\.name))
                }
                let options = try parse(
                    Array(arguments.dropFirst(2)), strategies: strategies, recipeFlags: recipe.flags)
                _ = try execute(recipe, options: options, strategies: strategies, reporter: reporter)
                return 0
            case "analyze":
                if arguments.count < 2 || ["--help", "-h"].contains(arguments[1]) {
                    reporter.output(AnalyzeCommand.usage)
                    return arguments.count < 2 ? 2 : 0
                }
                let options = try AnalyzeCommand.parse(Array(arguments.dropFirst()))
                _ = try AnalyzeCommand.execute(options, recipes: recipes, reporter: reporter)
                return 0
            case "preview":
                if arguments.count < 2 || ["--help", "-h"].contains(arguments[1]) {
                    reporter.output(PreviewCommand.usage)
                    return arguments.count < 2 ? 2 : 0
                }
                let options = try PreviewCommand.parse(Array(arguments.dropFirst()), strategies: strategies)
                try PreviewCommand.execute(options, recipes: recipes, strategies: strategies, reporter: reporter)
                return 0
            case "report":
                guard arguments.count == 2 else {
                    throw RunnerError.invalidValue(
                        flag: "report", value: arguments.dropFirst().joined(separator: " "),
                        expected: "one run or sweep folder: mixup report DIR")
                }
                do {
                    reporter.output(try ReportCommand.run(path: arguments[1]))
                    return 0
                } catch {
                    reporter.diagnostic("error: \(error)")
                    return 1
                }
            default:
                throw RunnerError.unknownCommand(arguments[0])
            }
        } catch {
            reporter.diagnostic("error: \(error)")
            if let signal = error.interruptingSignal { return 128 + signal }
            return error.isUsageError ? 2 : 1
        }
    }

    /// The help text.
    public static func usage(recipes: [Recipe], strategies: StrategyCatalog = .builtin) -> String {
        let recipeFlags = recipes.flatMap { recipe in
            recipe.flags.map { flag in
                let left = "--\(flag.name)" + (flag.valueName.map { " \($0)" } ?? "")
                return "  " + left + String(repeating: " ", count: max(1, 18 - left.count)) + flag.help
                    + " (\(recipe.name))"
            }
        }
        let strategyLines = strategies.registrations.map { registration in
            "  " + registration.name + String(repeating: " ", count: max(1, 16 - registration.name.count))
                + registration.summary
        }
        return """
            mixup — train with Mixup-family regularizers and mixup-based semi-supervised learning

            USAGE:
              mixup list                      list the recipes and strategies
              mixup run <recipe> [flags]      train a recipe
              mixup report DIR                rebuild report.html of a run folder (sweep-report.html of a sweep folder)
              mixup sweep <recipe> [axes]     run an ablation grid × seeds; `mixup sweep --help`
              mixup analyze <run-folder> [flags]   measure trained models; `mixup analyze --help`
              mixup preview <recipe> --strategy NAME   draw one mixed batch as an SVG; `mixup preview --help`
              mixup --help                    show this help

            FLAGS for `run`:
              --epochs N        epochs (default: the recipe's)
              --seed S          random seed (default 0); the same seed gives the same run
              --data PATH       folder or file with the recipe's data (MNIST: the IDX files, .gz or not)
              --out DIR         output folder (default runs/<recipe>-<strategy>-seed<S>)
              --strategy NAME   \(strategies.names.joined(separator: " | "))
              --alpha A         the strategy's Beta(α, α) concentration, > 0 (an error for strategies without α)
              --mix-points A,B  Manifold Mixup's candidate mix points, e.g. input,hidden1 (default: all)
              --labels N        labelled samples (semi-supervised recipes)
              --unlabelled-weight W   maximum weight of the unlabelled loss (semi-supervised recipes)
              --batch-size B    batch size
              --steps N         stop after N optimizer steps (the schedule still spans all epochs)
              --limit N         use at most N (seeded-random) samples of each split
              --threads T       compute threads, 1…\(maximumThreads) (default: all cores)
              --resume          continue from <out>/checkpoint.safetensors
              --quiet           no progress output
            \(recipeFlags.isEmpty ? "" : "\nRECIPE FLAGS:\n" + recipeFlags.joined(separator: "\n") + "\n")
            STRATEGIES:
            \(strategyLines.joined(separator: "\n"))

            Exit status: 0 done, 1 failed, 2 usage error, 130 / 143 stopped by SIGINT / SIGTERM after a checkpoint.
            The last line of a run is a JSON summary. Recipes: \(recipes.map(\.name).joined(separator: ", "))
            """
    }

    /// Parses the flags after `mixup run <recipe>`.
    ///
    /// - Parameters:
    ///   - arguments: the flags and values after the recipe name.
    ///   - strategies: the catalogue `--strategy` chooses from.
    ///   - recipeFlags: the recipe's own flags, accepted besides the runner's.
    /// - Throws: ``RunnerError`` naming an unknown flag, a missing value, a bad value, or a flag that does not apply.
    public static func parse(
        _ arguments: [String], strategies: StrategyCatalog = .builtin, recipeFlags: [RecipeFlag] = []
    ) throws(RunnerError) -> RunOptions {
        var options = RunOptions()
        var index = 0
        func value(_ flag: String) throws(RunnerError) -> String {
            index += 1
            guard index < arguments.count, !arguments[index].hasPrefix("--") else { throw .missingValue(flag: flag) }
            return arguments[index]
        }
        func positive(_ flag: String, atMost maximum: Int = Int.max) throws(RunnerError) -> Int {
            let text = try value(flag)
            guard let number = Int(text), number > 0, number <= maximum else {
                throw .invalidValue(
                    flag: flag, value: text,
                    expected: maximum == Int.max
                        ? "a positive integer (at most \(Int.max))" : "an integer from 1 to \(maximum)")
            }
            return number
        }
        func number(_ flag: String, _ expected: String, _ isValid: (Double) -> Bool) throws(RunnerError) -> Double {
            let text = try value(flag)
            guard let number = Double(text), number.isFinite, isValid(number) else {
                throw .invalidValue(flag: flag, value: text, expected: expected)
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
                    throw .invalidValue(flag: flag, value: text, expected: "a non-negative integer")
                }
                options.seed = seed
            case "--data": options.dataPath = try value(flag)
            case "--out": options.outputDirectory = try value(flag)
            case "--strategy":
                let name = try value(flag)
                guard strategies.registration(named: name) != nil else {
                    throw .unknownStrategy(name: name, available: strategies.names)
                }
                options.strategy = name
            case "--alpha": options.alpha = try number(flag, "a positive number") { $0 > 0 }
            case "--mix-points":
                let text = try value(flag)
                let points = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard !points.contains(where: \.isEmpty) else {
                    throw .invalidValue(flag: flag, value: text, expected: "mix point names separated by commas")
                }
                options.mixPoints = points
            case "--labels": options.labels = try positive(flag)
            case "--unlabelled-weight":
                options.unlabelledWeight = try number(flag, "a non-negative number") { $0 >= 0 }
            case "--batch-size": options.batchSize = try positive(flag)
            case "--steps": options.maximumSteps = try positive(flag)
            case "--limit": options.limit = try positive(flag)
            case "--threads": options.threads = try positive(flag, atMost: maximumThreads)
            case "--resume": options.resume = true
            case "--quiet": options.quiet = true
            default:
                guard flag.hasPrefix("--"), let declared = recipeFlags.first(where: { "--" + $0.name == flag }) else {
                    throw .unknownFlag(flag)
                }
                options.recipeFlags[declared.name] = declared.valueName == nil ? "true" : try value(flag)
            }
            index += 1
        }
        if options.alpha != nil, let name = options.strategy, let registration = strategies.registration(named: name),
            !registration.takesAlpha
        {
            throw .flagDoesNotApply(flag: "--alpha", reason: "the strategy \(registration.name) has no α")
        }
        return options
    }

    /// Trains `recipe` with `options`: one regularizer (`--strategy` or the recipe's), or the recipe's comparison.
    /// Reports a results table and the summary through `reporter`. The compute thread count is restored afterwards.
    ///
    /// - Returns: the run's summary.
    /// - Throws: ``RunnerError``: a flag that does not apply to this recipe, the recipe's own errors (wrapped), or a
    ///   trainer's error (wrapped with the strategy's name).
    @discardableResult
    public static func execute(
        _ recipe: Recipe, options: RunOptions, strategies: StrategyCatalog = .builtin,
        reporter: any RunReporter = StandardStreamsReporter()
    ) throws(RunnerError) -> RunSummary {
        let previousThreads = ComputeThreads.count
        if let threads = options.threads { ComputeThreads.set(threads) }
        defer { ComputeThreads.set(previousThreads) }
        let regularizers = try regularizers(for: recipe, options: options, strategies: strategies)
        let request = DataRequest(
            path: options.dataPath, seed: options.seed, labels: options.labels, limit: options.limit,
            flags: options.recipeFlags)
        let data: RecipeData
        do {
            data = try recipe.data(request).limited(to: options.limit, seed: options.seed)
        } catch let error as RunnerError {
            throw error
        } catch {
            throw .data(recipe: recipe.name, underlying: error)
        }
        let strategyLabel = regularizers.map(\.name).joined(separator: "+")
        let root = options.outputDirectory ?? "runs/\(recipe.name)-\(strategyLabel)-seed\(options.seed)"
        let epochs = options.epochs ?? recipe.epochs
        let batchSize = options.batchSize ?? recipe.batchSize
        if let requested = options.batchSize, requested > data.train.count, data.unlabelled == nil {
            throw .invalidValue(
                flag: "--batch-size", value: String(requested),
                expected: "at most the \(data.train.count) training samples")
        }
        let start = Date()
        var runs: [(regularizer: Regularizer, model: any MixableModel, result: TrainingResult)] = []
        var results: [RunSummary.StrategyResult] = []
        for regularizer in regularizers {
            let output = regularizers.count > 1 ? (root as NSString).appendingPathComponent(regularizer.name) : root
            let trainer = try makeTrainer(
                recipe, regularizer: regularizer, data: data, options: options, epochs: epochs, batchSize: batchSize,
                output: output, reporter: reporter)
            let result: TrainingResult
            do {
                result = try trainer.run()
            } catch {
                throw .training(strategy: regularizer.name, error)
            }
            runs.append((regularizer, trainer.model, result))
            // The recipe's validation split (held-out training samples) is evaluated on the same weights as the test.
            let validationError = data.validation.flatMap { validation in
                validation.isRegression ? nil : rounded(Evaluation.of(trainer.evaluatedModel, on: validation).error)
            }
            results.append(
                RunSummary.StrategyResult(
                    strategy: regularizer.name, testError: result.test.map { rounded($0.error) },
                    testNLL: result.test.map { rounded($0.negativeLogLikelihood) }, steps: result.steps,
                    seconds: rounded(result.seconds), output: output, validationError: validationError,
                    evaluatedWeights: trainer.objective.evaluatedWeights,
                    testECE: result.test?.expectedCalibrationError.map(rounded),
                    testMSE: result.regressionTest.map { rounded($0.meanSquaredError) },
                    testRMSE: result.regressionTest.map { rounded($0.rootMeanSquaredError) }))
        }
        reporter.output(ResultTable(rows: runs.map { ($0.regularizer.name, $0.result) }).render())
        do {
            var report = RecipeReport(outputDirectory: root, data: data, runs: runs, reporter: reporter)
            report.options = options
            try recipe.report?(report)
        } catch {
            throw .recipe(name: recipe.name, underlying: error)
        }
        let single = results.count == 1 ? results.first : nil
        let summary = RunSummary(
            recipe: recipe.name, strategy: strategyLabel, seed: options.seed, epochs: epochs, batchSize: batchSize,
            limit: options.limit, labels: options.labels, maximumSteps: options.maximumSteps,
            seconds: rounded(Date().timeIntervalSince(start)), output: root, testError: single?.testError,
            testNLL: single?.testNLL, results: results, validationError: single?.validationError,
            evaluatedWeights: single?.evaluatedWeights, testECE: single?.testECE, testMSE: single?.testMSE,
            testRMSE: single?.testRMSE)
        reporter.summary(summary)
        do {
            try RunReport.finishRun(
                folder: root, summaryJSON: Data(StandardStreamsReporter.json(summary).utf8), options: options)
        } catch {
            reporter.diagnostic("warning: the run report was not written: \(error)")
        }
        return summary
    }

    /// The regularizers to train: `--strategy`'s, else the recipe's comparison, else its default — with `--alpha`
    /// applied, or an error where it cannot apply.
    static func regularizers(for recipe: Recipe, options: RunOptions, strategies: StrategyCatalog)
        throws(RunnerError) -> [Regularizer]
    {
        if let points = options.mixPoints {
            guard let name = options.strategy, strategies.registration(named: name)?.answers(to: "manifold") == true
            else {
                throw .flagDoesNotApply(
                    flag: "--mix-points",
                    reason: "it needs --strategy manifold, got \(options.strategy ?? "no --strategy")")
            }
            do {
                return [try .manifoldMixup(alpha: options.alpha ?? 2, mixPoints: points)]
            } catch {
                throw .strategy(name: "manifold", error)
            }
        }
        if let name = options.strategy {
            return [try strategies.regularizer(named: name, alpha: options.alpha)]
        }
        if !recipe.comparison.isEmpty {
            if options.alpha != nil {
                throw .flagDoesNotApply(
                    flag: "--alpha",
                    reason: "recipe \(recipe.name) compares \(recipe.comparison.map(\.name).joined(separator: ", ")); "
                        + "choose one with --strategy NAME to set its α")
            }
            return recipe.comparison
        }
        guard let alpha = options.alpha else { return [recipe.regularizer] }
        // `--alpha` alone re-parameterises the recipe's default strategy, when the catalogue knows it and it has an α.
        guard let registration = strategies.registration(named: recipe.regularizer.name), registration.takesAlpha else {
            throw .flagDoesNotApply(
                flag: "--alpha",
                reason: "recipe \(recipe.name) trains \(recipe.regularizer.name), which has no α it can set; "
                    + "choose a strategy with --strategy NAME")
        }
        return [try strategies.regularizer(named: registration.name, alpha: alpha)]
    }

    /// The trainer for one regularizer of `recipe`.
    static func makeTrainer(
        _ recipe: Recipe, regularizer: Regularizer, data: RecipeData, options: RunOptions, epochs: Int,
        batchSize: Int, output: String, reporter: any RunReporter
    ) throws(RunnerError) -> Trainer {
        var generator = SeededGenerator(seed: options.seed)
        let model: any MixableModel
        let objective: any TrainingObjective
        let augmentation: (@Sendable (Tensor, inout SeededGenerator) -> Tensor)?
        do {
            model = try recipe.makeModel(
                regularizerName: regularizer.name, flags: options.recipeFlags, using: &generator)
            objective = try recipe.objective(regularizer, options)
            if let configure = recipe.configuredAugmentation {
                augmentation = try configure(options)  // may be nil: the options turned augmentation off
            } else {
                augmentation = recipe.augmentation
            }
        } catch let error as RunnerError {
            throw error
        } catch {
            throw .recipe(name: recipe.name, underlying: error)
        }
        let configuration = TrainerConfiguration(
            epochs: epochs, batchSize: batchSize, unlabelledBatchSize: recipe.unlabelledBatchSize, seed: options.seed,
            outputDirectory: output, resume: options.resume, progress: options.quiet ? .silent : .automatic,
            augmentation: augmentation, evaluationInterval: recipe.evaluationInterval,
            checkpointInterval: recipe.evaluationInterval, maximumSteps: options.maximumSteps,
            expectedSampleShape: recipe.sampleShape)
        let trainer = Trainer(
            model: model, objective: objective, optimizer: recipe.optimizer.make(parameters: model.allParameters),
            schedule: recipe.schedule.make(rate: recipe.optimizer.learningRate), trainingSet: data.train,
            unlabelledSet: data.unlabelled, testSet: data.test, configuration: configuration)
        trainer.label = regularizer.name
        trainer.reporter = reporter.trainingReporter(style: configuration.progress, label: regularizer.name)
        trainer.metadata = [
            "recipe": recipe.name, "strategy": regularizer.name,
            "data_limit": options.limit.map(String.init) ?? "none",
        ]
        // What `mixup analyze` needs to rebuild the same data.
        if let path = options.dataPath { trainer.metadata["data"] = path }
        if let labels = options.labels { trainer.metadata["labels"] = String(labels) }
        for (flag, value) in options.recipeFlags { trainer.metadata["flag." + flag] = value }
        // Text labels mapped to classes (CSV): class `i` is `class_names[i]`, a JSON array saved with the checkpoint.
        if let names = data.train.classNames, let json = try? JSONEncoder().encode(names) {
            trainer.metadata["class_names"] = String(decoding: json, as: UTF8.self)
        }
        if let hooks = recipe.hooks?(options) {
            var combined = trainer.hooks
            combined.batchStart += hooks.batchStart
            combined.mix += hooks.mix
            combined.loss += hooks.loss
            combined.step += hooks.step
            combined.epochEnd += hooks.epochEnd
            trainer.hooks = combined
        }
        return trainer
    }

    /// After `mixup sweep` (run here, or `sweep report DIR`), writes `sweep-report.html` beside `results.md`; a Slurm
    /// submission has no results yet (`mixup sweep report DIR` writes it after the array).
    static func writeSweepReportPage(_ sweep: SweepCommand, arguments: [String], reporter: any RunReporter) {
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
            reporter.output(try SweepReportPage.write(sweepFolder: folder))
        } catch {
            reporter.diagnostic("warning: sweep-report.html was not written: \(error)")
        }
    }

    /// Six decimals: enough for error rates and NLLs, without binary noise like 0.0020000000000000018.
    static func rounded(_ value: Double) -> Double { (value * 1e6).rounded() / 1e6 }
}

extension Error {
    /// The exit-status view of any error thrown inside ``RecipeCommand/run(arguments:recipes:strategies:reporter:)``.
    fileprivate var interruptingSignal: Int32? { (self as? RunnerError)?.interruptingSignal }
    fileprivate var isUsageError: Bool { (self as? RunnerError)?.isUsageError ?? false }
}
