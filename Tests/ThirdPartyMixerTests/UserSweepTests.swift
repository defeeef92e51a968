// Proof that a user's package composes sweeps of its own recipes and strategies: only public API, no @testable.
import Foundation
import MixupRunner
import Testing

@Suite struct UserSweepTests {
    @Test func aUserSweepCoversItsOwnStrategiesLikeBuiltIns() throws {
        var sweep = Sweep(
            recipe: "my-recipe", outputDirectory: "sweeps/mine", strategies: ["erm", "vertical-half-swap"],
            alphas: [0.4, 1], options: [SweepOption(flag: "batch-size", values: ["32", "64"])], seeds: [0, 1],
            arguments: ["--epochs", "2"])
        // A user strategy that takes no α says so, like `erm`.
        sweep.strategiesWithoutAlpha.append("vertical-half-swap")
        try sweep.validate()
        #expect(
            sweep.configurations == [
                "strategy=erm_batch-size=32", "strategy=erm_batch-size=64",
                "strategy=vertical-half-swap_batch-size=32", "strategy=vertical-half-swap_batch-size=64",
            ])
        let cell = sweep.cells[5]
        #expect(cell.seed == 1)
        #expect(
            cell.arguments == [
                "run", "my-recipe", "--epochs", "2", "--strategy", "vertical-half-swap", "--batch-size", "32",
                "--seed", "1", "--out", "sweeps/mine/strategy=vertical-half-swap_batch-size=32/seed1",
            ])
    }

    @Test func theRecipeCommandOfAUserBinaryHasTheSweepSubcommand() {
        #expect(RecipeCommand.run(arguments: ["sweep", "not-a-recipe", "--seeds", "0"], recipes: []) == 2)
        #expect(RecipeCommand.run(arguments: ["sweep", "report", "/nonexistent-sweep-folder"], recipes: []) == 2)
    }
}
