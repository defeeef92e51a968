import Foundation
import MixupRunner
import Testing

@Suite struct RecipeCommandTests {
    // MARK: Parsing

    @Test func parsesEveryFlag() throws {
        let options = try RecipeCommand.parse([
            "--epochs", "3", "--seed", "42", "--data", "/data/mnist", "--out", "/tmp/out", "--strategy", "cutmix",
            "--alpha", "0.5", "--labels", "100", "--batch-size", "8", "--steps", "5", "--limit", "64", "--threads", "1",
            "--resume", "--quiet",
        ])
        var expected = RunOptions()
        expected.epochs = 3
        expected.seed = 42
        expected.dataPath = "/data/mnist"
        expected.outputDirectory = "/tmp/out"
        expected.strategy = "cutmix"
        expected.alpha = 0.5
        expected.labels = 100
        expected.batchSize = 8
        expected.maximumSteps = 5
        expected.limit = 64
        expected.threads = 1
        expected.resume = true
        expected.quiet = true
        // Compared outside #expect: with Swift 6.3.1 (debug), #expect's capture of this 187-byte struct reads garbage
        // for the fields after `mixPoints`, although the value itself is intact.
        let matches = options == expected
        #expect(matches, "\(options) != \(expected)")
    }

    @Test func noFlagsGiveTheDefaults() throws {
        let options = try RecipeCommand.parse([])
        #expect(options == RunOptions())
        #expect(options.seed == 0 && !options.resume && !options.quiet && options.epochs == nil)
    }

    @Test func everyStrategyNameAndTheManifoldAliasParse() throws {
        for name in StrategyCatalog.builtin.names + ["manifold-mixup"] {
            #expect(try RecipeCommand.parse(["--strategy", name]).strategy == name)
        }
    }

    @Test func unknownFlagIsNamed() throws {
        let error = try #require(throws: RunnerError.self) { try RecipeCommand.parse(["--epochs", "2", "--bogus"]) }
        #expect(error.description.contains("--bogus"), "\(error)")
        let positional = try #require(throws: RunnerError.self) { try RecipeCommand.parse(["stray"]) }
        #expect(positional.description.contains("stray"), "\(positional)")
    }

    @Test(arguments: [
        ["--epochs"], ["--seed"], ["--out", "--quiet"], ["--data"], ["--strategy"], ["--alpha"], ["--batch-size"],
    ])
    func missingValueIsNamed(arguments: [String]) throws {
        let error = try #require(throws: RunnerError.self) { try RecipeCommand.parse(arguments) }
        #expect(error.description.contains("\(arguments[0]) needs a value"), "\(error)")
    }

    @Test(arguments: [
        (["--epochs", "0"], "\"0\""), (["--epochs", "two"], "\"two\""), (["--alpha", "-1"], "\"-1\""),
        (["--alpha", "0"], "\"0\""), (["--alpha", "nan"], "\"nan\""), (["--seed", "x"], "\"x\""),
        (["--seed", "-1"], "\"-1\""), (["--strategy", "nope"], "\"nope\""), (["--batch-size", "1.5"], "\"1.5\""),
        (["--steps", "-2"], "\"-2\""), (["--limit", "0"], "\"0\""), (["--labels", "many"], "\"many\""),
        (["--threads", "0"], "\"0\""),
    ])
    func badValueIsNamed(arguments: [String], quoted: String) throws {
        let error = try #require(throws: RunnerError.self) { try RecipeCommand.parse(arguments) }
        #expect(error.description.contains(arguments[0]) || arguments[0] == "--strategy", "\(error)")
        #expect(error.description.contains(quoted), "\(error) should quote the value")
    }

    @Test func unknownStrategyListsTheChoices() throws {
        let error = try #require(throws: RunnerError.self) { try RecipeCommand.parse(["--strategy", "nope"]) }
        for name in StrategyCatalog.builtin.names { #expect(error.description.contains(name)) }
    }

    // MARK: Exit codes

    @Test func exitCodes() {
        let recipes = [RunnerFixtures.tinyRecipe()]
        let (codes, output) = RunnerFixtures.capturingStandardOutput {
            (
                list: RecipeCommand.run(arguments: ["list"], recipes: recipes),
                help: RecipeCommand.run(arguments: ["--help"], recipes: recipes),
                shortHelp: RecipeCommand.run(arguments: ["-h"], recipes: recipes),
                nothing: RecipeCommand.run(arguments: [], recipes: recipes),
                unknownRecipe: RecipeCommand.run(arguments: ["run", "nope"], recipes: recipes),
                noRecipe: RecipeCommand.run(arguments: ["run"], recipes: recipes),
                flagInsteadOfRecipe: RecipeCommand.run(arguments: ["run", "--epochs", "1"], recipes: recipes),
                unknownCommand: RecipeCommand.run(arguments: ["train"], recipes: recipes),
                badFlag: RecipeCommand.run(arguments: ["run", "tiny", "--epochs", "0"], recipes: recipes)
            )
        }
        #expect(codes.list == 0)
        #expect(codes.help == 0 && codes.shortHelp == 0)
        #expect(codes.nothing == 2, "no command prints the usage and fails")
        #expect(codes.unknownRecipe == 2 && codes.noRecipe == 2 && codes.flagInsteadOfRecipe == 2)
        #expect(codes.unknownCommand == 2 && codes.badFlag == 2)
        #expect(output.contains("tiny") && output.contains("two moons, 2-8-2 MLP (test recipe)"))
        #expect(output.contains("USAGE:") && output.contains("--resume"))
    }

    @Test func listShowsLongNamesWhole() {
        let name = "a-recipe-name-longer-than-the-column"
        let (code, output) = RunnerFixtures.capturingStandardOutput {
            RecipeCommand.run(arguments: ["list"], recipes: [RunnerFixtures.tinyRecipe(name: name)])
        }
        #expect(code == 0)
        #expect(output.contains(name + " two moons"), "\(output)")
    }

    @Test func listShowsEveryStrategyWithItsSummary() {
        let (code, output) = RunnerFixtures.capturingStandardOutput {
            RecipeCommand.run(arguments: ["list"], recipes: [RunnerFixtures.tinyRecipe()])
        }
        #expect(code == 0)
        for registration in StrategyCatalog.builtin.registrations {
            #expect(output.contains(registration.name) && output.contains(registration.summary), "\(registration.name)")
        }
        #expect(output.contains("nfm, noisy-feature-mixup") && output.contains("saliencymix"))
    }

    @Test func usageNamesEveryFlagStrategyAndRecipe() {
        let usage = RecipeCommand.usage(recipes: [
            RunnerFixtures.tinyRecipe(), RunnerFixtures.tinyRecipe(name: "other"),
        ])
        for flag in [
            "--epochs", "--seed", "--data", "--out", "--strategy", "--alpha", "--labels", "--batch-size", "--steps",
            "--limit", "--threads", "--resume", "--quiet",
        ] {
            #expect(usage.contains(flag), "usage lacks \(flag)")
        }
        for name in StrategyCatalog.builtin.names { #expect(usage.contains(name)) }
        #expect(usage.contains("tiny, other"))
    }

    @Test func failedRunExitsWithOne() throws {
        let directory = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let code = RecipeCommand.run(
            arguments: ["run", "broken", "--out", directory, "--quiet"],
            recipes: [RunnerFixtures.tinyRecipe(name: "broken", failingData: true)])
        #expect(code == 1)
    }

    // MARK: Execution

    @Test func executeReturnsTheSummaryAndWritesOutputs() throws {
        let directory = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = RunnerFixtures.quietOptions(out: directory)
        options.seed = 5
        let (summary, output) = try RunnerFixtures.capturingStandardOutput {
            try RecipeCommand.execute(RunnerFixtures.tinyRecipe(), options: options)
        }
        #expect(summary.recipe == "tiny")
        #expect(summary.strategy == "erm")
        #expect(summary.seed == 5)
        #expect(summary.epochs == 2)
        #expect(summary.output == directory)
        let error = try #require(summary.testError)
        let nll = try #require(summary.testNLL)
        let seconds = summary.seconds
        #expect((0...1).contains(error) && nll > 0 && nll.isFinite && seconds >= 0)
        #expect(summary.results.count == 1 && summary.results[0].testError == error, "one strategy, one result")

        // The summary is printed as one JSON line. Standard output is process-wide, so a test in another suite that
        // runs a recipe at the same time can print its own summary into the capture: pick this run's line by its
        // output folder, which no other test shares.
        let summaries = output.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let printed = try #require(summaries.first { $0["output"] as? String == directory })
        #expect((printed["test_error"] as? NSNumber)?.doubleValue == error)
        #expect(output.contains("strategy") && output.contains("test error"), "the results table is printed")

        let metrics = try String(
            contentsOfFile: (directory as NSString).appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        #expect(metrics.split(separator: "\n").count == 2)
        let checkpoint = try Checkpoint(
            contentsOf: (directory as NSString).appendingPathComponent("checkpoint.safetensors"))
        #expect(checkpoint.epoch == 2 && checkpoint.seed == 5)
        #expect(checkpoint.metadata["recipe"] == "tiny" && checkpoint.metadata["strategy"] == "erm")
    }

    @Test func comparisonTrainsEachStrategyIntoItsOwnFolder() throws {
        let directory = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recipe = RunnerFixtures.tinyRecipe(comparison: [.erm, try .mixup(alpha: 1)])
        let (summary, _) = try RunnerFixtures.capturingStandardOutput {
            try RecipeCommand.execute(recipe, options: RunnerFixtures.quietOptions(out: directory, epochs: 1))
        }
        #expect(summary.strategy == "erm+mixup")
        #expect(summary.epochs == 1)
        #expect(summary.results.map(\.strategy) == ["erm", "mixup"])
        #expect(summary.results.allSatisfy { $0.testError != nil && $0.testNLL != nil && $0.seconds >= 0 })
        #expect(summary.testError == nil && summary.testNLL == nil, "a comparison has no top-level test error")
        for name in ["erm", "mixup"] {
            let folder = (directory as NSString).appendingPathComponent(name)
            #expect(
                FileManager.default.fileExists(
                    atPath: (folder as NSString).appendingPathComponent("checkpoint.safetensors")))
            #expect(
                FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("metrics.jsonl")))
        }
        // --strategy replaces the comparison.
        var options = RunnerFixtures.quietOptions(
            out: (directory as NSString).appendingPathComponent("single"), epochs: 1)
        options.strategy = "mixup"
        options.alpha = 0.4
        let (single, _) = try RunnerFixtures.capturingStandardOutput {
            try RecipeCommand.execute(recipe, options: options)
        }
        #expect(single.strategy == "mixup" && single.results.count == 1)
    }

    @Test func runWithFlagsSucceedsAndResumeContinues() throws {
        let directory = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recipes = [RunnerFixtures.tinyRecipe()]
        let (first, _) = RunnerFixtures.capturingStandardOutput {
            RecipeCommand.run(
                arguments: ["run", "tiny", "--out", directory, "--quiet", "--epochs", "1", "--seed", "3"],
                recipes: recipes)
        }
        #expect(first == 0)
        let (second, _) = RunnerFixtures.capturingStandardOutput {
            RecipeCommand.run(
                arguments: ["run", "tiny", "--out", directory, "--quiet", "--epochs", "2", "--seed", "3", "--resume"],
                recipes: recipes)
        }
        #expect(second == 0)
        let checkpoint = try Checkpoint(
            contentsOf: (directory as NSString).appendingPathComponent("checkpoint.safetensors"))
        #expect(checkpoint.epoch == 2)
        let metrics = try String(
            contentsOfFile: (directory as NSString).appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        #expect(metrics.split(separator: "\n").count == 2, "one line per epoch across the resume")
        // Resuming with another seed is a failed run (exit 1), not a usage error.
        let (third, _) = RunnerFixtures.capturingStandardOutput {
            RecipeCommand.run(
                arguments: ["run", "tiny", "--out", directory, "--quiet", "--epochs", "3", "--seed", "4", "--resume"],
                recipes: recipes)
        }
        #expect(third == 1)
    }

    @Test func stepsLimitTheRun() throws {
        let directory = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = RunnerFixtures.quietOptions(out: directory, epochs: 5)
        options.maximumSteps = 3
        options.batchSize = 10
        options.limit = 20
        _ = try RunnerFixtures.capturingStandardOutput {
            try RecipeCommand.execute(RunnerFixtures.tinyRecipe(), options: options)
        }
        let checkpoint = try Checkpoint(
            contentsOf: (directory as NSString).appendingPathComponent("checkpoint.safetensors"))
        // 20 samples in batches of 10: 2 steps per epoch, so 3 steps stop one step into epoch 2.
        #expect(checkpoint.globalStep == 3)
        #expect(checkpoint.epoch == 1 && checkpoint.stepInEpoch == 1)
    }
}
