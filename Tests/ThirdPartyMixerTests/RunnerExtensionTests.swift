// Proof that the runner is open to a user's package: only `import MixupRunner` (public API), no @testable.
import Foundation
import MixupRunner
import Testing

/// A user's optimizer: sign SGD (each parameter moves by the learning rate against the sign of its gradient).
final class SignSGD: Optimizer {
    let parameters: [Parameter]
    var learningRate: Float
    private(set) var steps = 0

    init(parameters: [Parameter], learningRate: Float) {
        self.parameters = parameters
        self.learningRate = learningRate
    }

    func step() {
        steps += 1
        for parameter in parameters {
            guard let gradient = parameter.gradient else { continue }
            let moved = zip(parameter.value.scalars, gradient.scalars).map { value, slope in
                value - learningRate * (slope > 0 ? 1 : slope < 0 ? -1 : 0)
            }
            parameter.value = Tensor(shape: parameter.value.shape, scalars: moved)
        }
    }

    func state() -> [String: Tensor] { ["steps": Tensor(Float(steps))] }

    func load(state: [String: Tensor]) throws(OptimizerStateError) {
        guard let saved = state["steps"] else { throw OptimizerStateError("no \"steps\"") }
        steps = Int(saved.scalar)
    }
}

// The README's "Register your own strategy" example, verbatim (checked below).
let softMix = StrategyRegistration(
    name: "soft-mix", summary: "interpolation with α = 0.3 by default", takesAlpha: true
) { alpha throws(MixingError) in
    try Regularizer(name: "soft-mix", strategy: InterpolationStrategy.mixup(alpha: alpha ?? 0.3))
}
// End of the README example.

/// Captures everything the runner reports instead of writing it.
final class CapturingReporter: RunReporter, @unchecked Sendable {
    var outputs: [String] = []
    var diagnostics: [String] = []
    var summaries: [RunSummary] = []
    let progress = CapturingProgress()

    func output(_ text: String) { outputs.append(text) }
    func summary(_ summary: RunSummary) { summaries.append(summary) }
    func diagnostic(_ text: String) { diagnostics.append(text) }
    func trainingReporter(style: ProgressStyle, label: String) -> any TrainingReporter { progress }
}

/// Counts the trainer's progress events.
final class CapturingProgress: TrainingReporter {
    var steps = 0
    var epochs: [String] = []
    func stepFinished(_ progress: StepProgress) { steps += 1 }
    func epochFinished(_ report: EpochReport, epochs: Int, label: String) { self.epochs.append(label) }
}

/// Step counts observed by a recipe's hooks (hooks run on the training thread; the test reads after the run).
final class StepCounter: @unchecked Sendable {
    var steps: [Int] = []
}

@Suite struct RunnerExtensionTests {
    static func catalog() throws -> StrategyCatalog { try StrategyCatalog.builtin.adding(softMix) }

    /// Two moons that ignore `--limit` (the runner applies it), an extra `--width` flag, a user's optimizer and a
    /// `StepDecay` schedule value, and hooks counting steps.
    static func recipe(counter: StepCounter = StepCounter(), comparison: [Regularizer] = []) -> Recipe {
        Recipe(
            name: "user-moons", summary: "two moons with a user's optimizer",
            data: { request in
                var generator = SeededGenerator(seed: 100 + request.seed)
                return RecipeData(
                    train: SyntheticData.twoMoons(pointsPerClass: 40, noise: 0.1, using: &generator),
                    test: SyntheticData.twoMoons(pointsPerClass: 20, noise: 0.1, using: &generator))
            },
            model: { generator in Models.mlp(inputSize: 2, hiddenSizes: [8], classCount: 2, using: &generator) },
            sampleShape: [2], regularizer: .erm, comparison: comparison,
            optimizer: .custom(learningRate: 0.01) { parameters in SignSGD(parameters: parameters, learningRate: 0.01)
            },
            schedule: .schedule(StepDecay(initial: 0.02, stepSize: 2, factor: 0.5)), epochs: 2, batchSize: 16,
            flags: [RecipeFlag(name: "width", valueName: "W", help: "hidden width (test flag)")],
            hooks: { _ in
                var hooks = TrainingHooks()
                hooks.step.append { counter.steps.append($0) }
                return hooks
            })
    }

    static func temporaryDirectory(_ label: String = #function) -> String {
        let name = "mixupkit-runner-extension-\(label.filter { $0.isLetter })-\(UUID().uuidString)"
        return (NSTemporaryDirectory() as NSString).appendingPathComponent(name)
    }

    @Test func aRegisteredStrategyIsChosenWithStrategyAndTrainsWithTheUsersOptimizer() throws {
        let out = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let counter = StepCounter()
        let reporter = CapturingReporter()
        let code = RecipeCommand.run(
            arguments: [
                "run", "user-moons", "--strategy", "soft-mix", "--alpha", "0.5", "--out", out, "--limit", "20",
                "--width", "12",
            ],
            recipes: [Self.recipe(counter: counter)], strategies: try Self.catalog(), reporter: reporter)
        #expect(code == 0, "\(reporter.diagnostics)")
        let summary = try #require(reporter.summaries.first)
        #expect(summary.strategy == "soft-mix" && summary.limit == 20)
        // --limit 20 is applied by the runner although the recipe ignores it: 20 samples, batches of 16 → 2 steps.
        #expect(counter.steps == [1, 2, 3, 4], "hooks from the recipe see every step")
        #expect(reporter.progress.steps == 4 && reporter.progress.epochs == ["soft-mix", "soft-mix"])
        let checkpoint = try Checkpoint(contentsOf: (out as NSString).appendingPathComponent("checkpoint.safetensors"))
        #expect(checkpoint.metadata["strategy"] == "soft-mix" && checkpoint.metadata["training_samples"] == "20")
        #expect(checkpoint.tensors["optimizer.steps"]?.scalar == 4, "the user's optimizer took the steps")
        #expect(reporter.outputs.contains { $0.contains("soft-mix") }, "the results table went to the reporter")
        #expect(RecipeCommand.usage(recipes: [Self.recipe()], strategies: try Self.catalog()).contains("soft-mix"))
    }

    @Test func readmeContainsTheRegistrationExampleVerbatim() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let start = try #require(source.range(of: "let softMix = StrategyRegistration("))
        let end = try #require(source.range(of: "// End of the README example."))
        #expect(readme.contains(String(source[start.lowerBound..<end.lowerBound])), "README.md differs from this file")
    }

    @Test func recipeFlagsReachTheRecipe() throws {
        let options = try RecipeCommand.parse(
            ["--width", "12", "--epochs", "1"], strategies: try Self.catalog(), recipeFlags: Self.recipe().flags)
        #expect(options.recipeFlags == ["width": "12"] && options.epochs == 1)
        let error = try #require(throws: RunnerError.self) { try RecipeCommand.parse(["--width", "12"]) }
        #expect(error.description.contains("--width"), "a flag the recipe did not declare is unknown: \(error)")
        let usage = RecipeCommand.usage(recipes: [Self.recipe()])
        #expect(usage.contains("--width W") && usage.contains("hidden width"))
    }

    @Test func aScheduleValueDrivesTheLearningRate() throws {
        let schedule = Self.recipe().schedule.make(rate: 99)
        #expect(schedule.learningRate(atStep: 0, totalSteps: 4) == 0.02)
        #expect(schedule.learningRate(atStep: 2, totalSteps: 4) == 0.01)
    }

    @Test func registeringATakenNameIsAnError() throws {
        let error = try #require(throws: RunnerError.self) {
            try StrategyCatalog.builtin.adding(
                StrategyRegistration(name: "cutmix", summary: "again", takesAlpha: false) { _ throws(MixingError) in
                    .erm
                })
        }
        #expect(error.description.contains("\"cutmix\""))
        #expect(throws: RunnerError.self) {
            try StrategyCatalog.builtin.adding(
                StrategyRegistration(name: "x", aliases: ["manifold-mixup"], summary: "", takesAlpha: false) {
                    _ throws(MixingError) in .erm
                })
        }
    }

    /// `--alpha` must apply or be an error: never silently ignored.
    @Test func alphaThatCannotApplyIsAnError() throws {
        let catalog = try Self.catalog()
        for name in ["erm", "resizemix"] {
            let error = try #require(throws: RunnerError.self) {
                try RecipeCommand.parse(["--strategy", name, "--alpha", "0.5"], strategies: catalog)
            }
            #expect(error.description.contains("--alpha") && error.description.contains(name), "\(error)")
        }
        let reporter = CapturingReporter()
        let comparison = RecipeCommand.run(
            arguments: ["run", "user-moons", "--alpha", "0.5", "--out", Self.temporaryDirectory()],
            recipes: [Self.recipe(comparison: [.erm, try .mixup(alpha: 1)])], strategies: catalog, reporter: reporter)
        #expect(comparison == 2)
        #expect(reporter.diagnostics.contains { $0.contains("--alpha") && $0.contains("erm, mixup") })
        // The recipe's default strategy (ERM) has no α either.
        let single = RecipeCommand.run(
            arguments: ["run", "user-moons", "--alpha", "0.5", "--out", Self.temporaryDirectory()],
            recipes: [Self.recipe()], strategies: catalog, reporter: reporter)
        #expect(single == 2)
    }

    @Test func executeRestoresTheThreadCount() throws {
        let out = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let before = ComputeThreads.count
        var options = RunOptions()
        options.outputDirectory = out
        options.threads = before == 1 ? 2 : 1
        options.epochs = 1
        options.quiet = true
        try RecipeCommand.execute(Self.recipe(), options: options, reporter: CapturingReporter())
        #expect(ComputeThreads.count == before)
    }
}
