import Foundation
import MixupRunner
import Synchronization
import Testing

/// `Recipe.configuredAugmentation`: the augmentation built from the run's options replaces the recipe's fixed one, and
/// returning `nil` turns augmentation off.
extension RecipeCommandTests {
    /// Counts the batches each augmentation saw.
    final class AugmentationCalls: Sendable {
        let fixed = Mutex(0)
        let configured = Mutex(0)
    }

    static func augmentedRecipe(_ calls: AugmentationCalls) -> Recipe {
        var recipe = RunnerFixtures.tinyRecipe()
        recipe.flags = [RecipeFlag(name: "augment", valueName: "on|off|bad", help: "test flag")]
        recipe.augmentation = { batch, _ in
            calls.fixed.withLock { $0 += 1 }
            return batch
        }
        recipe.configuredAugmentation = { options in
            switch options.recipeFlags["augment"] {
            case nil: return { batch, _ in batch }
            case "on":
                return { batch, _ in
                    calls.configured.withLock { $0 += 1 }
                    return batch
                }
            case "off": return nil
            case let other?:
                throw RunnerError.invalidValue(flag: "--augment", value: other, expected: "on or off")
            }
        }
        return recipe
    }

    @Test(arguments: [("on", 3), ("off", 0)])
    func configuredAugmentationReplacesTheFixedOne(flag: String, expectedCalls: Int) throws {
        let directory = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let calls = AugmentationCalls()
        var options = RunnerFixtures.quietOptions(out: directory)
        options.maximumSteps = 3
        options.recipeFlags["augment"] = flag
        _ = try RecipeCommand.execute(Self.augmentedRecipe(calls), options: options)
        #expect(calls.configured.withLock { $0 } == expectedCalls)
        #expect(calls.fixed.withLock { $0 } == 0, "the fixed augmentation is replaced")
    }

    @Test func configuredAugmentationErrorsStopTheRunNamed() throws {
        let directory = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = RunnerFixtures.quietOptions(out: directory)
        options.recipeFlags["augment"] = "sideways"
        let error = try #require(throws: RunnerError.self) {
            try RecipeCommand.execute(Self.augmentedRecipe(AugmentationCalls()), options: options)
        }
        #expect(error.description.contains("--augment") && error.description.contains("sideways"), "\(error)")
    }
}
