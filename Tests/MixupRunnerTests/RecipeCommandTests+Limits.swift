import Foundation
import MixupRunner
import Testing

/// Issue 14: sizes from flags never trap; each overflowing flag is an error naming it (and exit status 1 or 2).
extension RecipeCommandTests {
    @Test func hugeThreadCountIsAUsageError() throws {
        let error = try #require(throws: RunnerError.self) { try RecipeCommand.parse(["--threads", "1099511627776"]) }
        #expect(error.description.contains("--threads") && error.description.contains("1099511627776"), "\(error)")
        #expect(error.description.contains(String(RecipeCommand.maximumThreads)))
    }

    @Test func flagBeyondIntIsAUsageError() throws {
        let error = try #require(throws: RunnerError.self) {
            try RecipeCommand.parse(["--epochs", "92233720368547758070"])
        }
        #expect(error.description.contains("\"92233720368547758070\""), "\(error)")
    }

    @Test func epochsTimesStepsOverflowFailsTheRunWithAMessage() throws {
        let directory = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = RunnerFixtures.quietOptions(out: directory)
        options.epochs = Int.max
        let error = try #require(throws: RunnerError.self) {
            try RecipeCommand.execute(RunnerFixtures.tinyRecipe(), options: options)
        }
        guard case .training(_, .sizeOverflow) = error else {
            Issue.record("expected sizeOverflow, got \(error)")
            return
        }
        #expect(error.description.contains(String(Int.max)), "\(error)")
        let (code, _) = RunnerFixtures.capturingStandardOutput {
            RecipeCommand.run(
                arguments: ["run", "tiny", "--out", directory, "--quiet", "--epochs", String(Int.max)],
                recipes: [RunnerFixtures.tinyRecipe()])
        }
        #expect(code == 1)
    }

    @Test func batchSizeBeyondTheDataIsAnErrorNamingBoth() throws {
        let directory = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = RunnerFixtures.quietOptions(out: directory)
        options.batchSize = Int.max
        let error = try #require(throws: RunnerError.self) {
            try RecipeCommand.execute(RunnerFixtures.tinyRecipe(), options: options)
        }
        #expect(error.description.contains(String(Int.max)) && error.description.contains("80"), "\(error)")
    }

    /// A recipe that ignores `--limit` still gets it: the runner cuts every split.
    @Test func limitIsAppliedByTheRunner() throws {
        let directory = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var recipe = RunnerFixtures.tinyRecipe()
        let original = recipe.data
        recipe.data = { request in
            var unlimited = request
            unlimited.limit = nil
            return try original(unlimited)
        }
        var options = RunnerFixtures.quietOptions(out: directory, epochs: 1)
        options.limit = 12
        _ = try RunnerFixtures.capturingStandardOutput { try RecipeCommand.execute(recipe, options: options) }
        let checkpoint = try Checkpoint(
            contentsOf: (directory as NSString).appendingPathComponent("checkpoint.safetensors"))
        #expect(checkpoint.metadata["training_samples"] == "12" && checkpoint.metadata["data_limit"] == "12")
        #expect(checkpoint.globalStep == 1, "12 samples in batches of 16: one step")
    }

    /// `--resume` with another `--limit` or `--strategy` than the checkpoint's run is refused, naming both values.
    @Test func resumeWithAnotherStrategyOrLimitIsRefused() throws {
        let directory = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recipes = [RunnerFixtures.tinyRecipe()]
        let base = ["run", "tiny", "--out", directory, "--quiet", "--epochs", "1", "--strategy", "mixup"]
        let (first, _) = RunnerFixtures.capturingStandardOutput { RecipeCommand.run(arguments: base, recipes: recipes) }
        #expect(first == 0)
        for (extra, words) in [
            (["--strategy", "cutmix"], ["mixup", "cutmix"]), (["--limit", "30"], ["none", "30"]),
        ] {
            var options = try RecipeCommand.parse(Array(base.dropFirst(2)) + extra + ["--resume"])
            options.epochs = 2
            let error = try #require(throws: RunnerError.self) {
                try RecipeCommand.execute(recipes[0], options: options)
            }
            guard case .training(_, .checkpointMismatch) = error else {
                Issue.record("expected a checkpoint mismatch, got \(error)")
                continue
            }
            for word in words { #expect(error.description.contains(word), "\(error)") }
        }
    }
}
