import Foundation
import MixupRunner
import Testing

/// The parameter counts a recipe report saw, collected across the report's `@Sendable` closure.
final class ParameterCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String: Int] = [:]
    var values: [String: Int] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
    func record(_ name: String, _ count: Int) {
        lock.lock()
        defer { lock.unlock() }
        stored[name] = count
    }
}

extension RecipeCommandTests {
    /// A comparison entry with its own network (`variantModels`, e.g. ERM + dropout) trains that network; the other
    /// entries train the recipe's `model`.
    @Test func aComparisonEntryTrainsItsVariantModel() throws {
        let directory = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var wide = Regularizer.erm
        wide.name = "erm-wide"
        var recipe = RunnerFixtures.tinyRecipe(comparison: [.erm, wide])
        recipe.variantModels["erm-wide"] = { generator in
            Models.mlp(inputSize: 2, hiddenSizes: [16], classCount: 2, using: &generator)
        }
        let counts = ParameterCounts()
        recipe.report = { report in
            for run in report.runs { counts.record(run.regularizer.name, run.model.parameterCount) }
        }
        let options = RunnerFixtures.quietOptions(out: (directory as NSString).appendingPathComponent("run"))
        let (summary, _) = try RunnerFixtures.capturingStandardOutput {
            try RecipeCommand.execute(recipe, options: options)
        }
        #expect(summary.results.map(\.strategy) == ["erm", "erm-wide"])
        // 2-8-2: 2·8 + 8 + 8·2 + 2 = 42; 2-16-2: 2·16 + 16 + 16·2 + 2 = 82.
        #expect(counts.values == ["erm": 42, "erm-wide": 82])
    }
}
