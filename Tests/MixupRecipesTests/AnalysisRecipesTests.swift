import Foundation
import MixupRecipes
import Testing

/// Smoke runs of the recipes that reproduce the papers' claims beyond test error.
@Suite(.serialized) struct AnalysisRecipesTests {
    /// A synthetic CSV: three well-separated Gaussian classes in four features, labels by name in the middle column.
    func writeSyntheticCSV(to path: String) throws {
        var generator = SeededGenerator(seed: 21)
        var text = "a,b,species,c,d\n"
        for row in 0..<150 {
            let label = row % 3
            let f = (0..<4).map { 3 * Double(label == $0 % 3 ? 1 : 0) + 0.5 * generator.nextNormal() + 10 * Double($0) }
            text += String(format: "%.4f,%.4f,class%d,%.4f,%.4f\n", f[0], f[1], label, f[2], f[3])
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func tabularTrainsErmAndMixupOnASyntheticCSV() throws {
        let out = BuiltinRecipesTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let csv = (out as NSString).appendingPathComponent("blobs.csv")
        try writeSyntheticCSV(to: csv)
        var options = try RecipeCommand.parse(
            ["--data", csv, "--label-column", "species", "--epochs", "15", "--quiet", "--out", out],
            recipeFlags: Recipe.tabular.flags)
        options.outputDirectory = out
        #expect(options.recipeFlags["label-column"] == "species")
        let summary = try RecipeCommand.execute(.tabular, options: options)
        #expect(summary.results.map(\.strategy) == ["erm", "mixup"])
        for result in summary.results {
            let error = try #require(result.testError)
            #expect(error < 0.2, "\(result)")
        }
        // A bad label column is an error that names it.
        var bad = options
        bad.recipeFlags["label-column"] = "nope"
        #expect(throws: (any Error).self) { try RecipeCommand.execute(.tabular, options: bad) }
    }

    @Test func spiralsPanelTrainsSevenRegularizersAndDrawsTheGrid() throws {
        let out = BuiltinRecipesTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let summary = try RecipeCommand.execute(
            .spiralsPanel, options: BuiltinRecipesTests.smokeOptions(out: out, steps: 2, limit: 40, batchSize: 20))
        #expect(summary.recipe == "spirals-panel")
        let panel = try Data(contentsOf: URL(fileURLWithPath: (out as NSString).appendingPathComponent("panel.json")))
        let errors = try JSONDecoder().decode([String: Double].self, from: panel)
        #expect(errors.count == 7)
        let svg = try String(contentsOfFile: (out as NSString).appendingPathComponent("panel.svg"), encoding: .utf8)
        #expect(svg.components(separatedBy: "<svg ").count - 1 == 15)  // the grid and its 14 cells
    }

    @Test(.enabled(if: BuiltinRecipesTests.mnistIsAvailable, "MNIST not found"))
    func labelNoiseReportsCleanAndCorruptedTrainingError() throws {
        let out = BuiltinRecipesTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        var options = BuiltinRecipesTests.smokeOptions(
            out: out, data: BuiltinRecipesTests.mnistDirectory, steps: 2, limit: 200, batchSize: 50)
        options.recipeFlags = ["noise": "0.5"]
        options.strategy = "erm"
        _ = try RecipeCommand.execute(.mnistLabelNoise, options: options)
        let data = try Data(
            contentsOf: URL(fileURLWithPath: (out as NSString).appendingPathComponent("label_noise.json")))
        let rows = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows[0]["noise"] as? Double == 0.5)
        #expect(rows[0]["corruptedTrainingError"] is Double)
        options.recipeFlags = ["noise": "1.5"]
        #expect(throws: (any Error).self) { try RecipeCommand.execute(.mnistLabelNoise, options: options) }
    }
}
