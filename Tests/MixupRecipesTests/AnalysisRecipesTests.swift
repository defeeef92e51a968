import Foundation
import Testing

@testable import MixupRecipes

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

    @Test func labelNoiseComparesErmErmDropoutAndMixup() throws {
        let recipe = Recipe.mnistLabelNoise
        #expect(recipe.comparison.map(\.name) == ["erm", "erm-dropout0.5", "mixup-alpha8", "mixup-alpha32"])
        let variant = try #require(recipe.variantModels["erm-dropout0.5"])
        var first = SeededGenerator(seed: 3), second = SeededGenerator(seed: 3)
        let plain = try recipe.model(&first), dropout = try variant(&second)
        // The same initial weights: equal predictions at inference, where dropout is off …
        var generator = SeededGenerator(seed: 4)
        let batch = Tensor(shape: [4, 784], scalars: (0..<(4 * 784)).map { _ in Float(generator.nextUnitDouble()) })
        var inference = ForwardContext.inference
        let plainInference = withoutGradients { plain.forward(batch, from: .input, to: nil, context: &inference) }
        let dropoutInference = withoutGradients { dropout.forward(batch, from: .input, to: nil, context: &inference) }
        #expect(plainInference.scalars == dropoutInference.scalars)
        // … and in training, about half of the first hidden layer's active units are zeroed and the rest doubled
        // (inverted dropout, p = 0.5); the plain network is unchanged.
        var training = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 5))
        let plainTraining = withoutGradients { plain.forward(batch, from: .input, to: nil, context: &training) }
        #expect(plainTraining.scalars == plainInference.scalars)
        let hidden = try dropout.mixPoint(named: "hidden1")
        let dropped = withoutGradients { dropout.forward(batch, from: .input, to: hidden, context: &training) }
        let kept = withoutGradients { plain.forward(batch, from: .input, to: hidden, context: &inference) }
        let active = kept.scalars.indices.filter { kept.scalars[$0] > 0 }
        let zeroed = active.filter { dropped.scalars[$0] == 0 }
        let share = Double(zeroed.count) / Double(active.count)
        #expect(abs(share - 0.5) < 0.05, "zeroed \(zeroed.count) of \(active.count) active units")
        #expect(active.allSatisfy { dropped.scalars[$0] == 0 || dropped.scalars[$0] == 2 * kept.scalars[$0] })
    }

    @Test func withinClassVarianceShareMatchesHandValues() {
        // Two classes, each a single point: no variance within classes.
        let tight = [(x: 0.0, y: 0.0), (x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 0.0)]
        #expect(BottleneckScatter.withinClassVarianceShare(points: tight, labels: [0, 0, 1, 1]) == 0)
        // Equal class means: all variance is within classes.
        let mixed = [(x: -1.0, y: 0.0), (x: 1.0, y: 0.0), (x: 0.0, y: -2.0), (x: 0.0, y: 2.0)]
        #expect(BottleneckScatter.withinClassVarianceShare(points: mixed, labels: [0, 0, 1, 1]) == 1)
        // Class 0 at x ∈ {0, 2} (mean 1), class 1 at x ∈ {4, 6} (mean 5); overall mean 3.
        // Within: 4 · 1² = 4; total: 3² + 1² + 1² + 3² = 20; share 0.2.
        let line = [(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 4.0, y: 0.0), (x: 6.0, y: 0.0)]
        #expect(abs(BottleneckScatter.withinClassVarianceShare(points: line, labels: [0, 0, 1, 1]) - 0.2) < 1e-12)
        #expect(BottleneckScatter.withinClassVarianceShare(points: [(x: 1.0, y: 1.0)], labels: [0]).isNaN)
    }

    @Test func bottleneck2DFigurePlotsEveryTestSampleOfEachNetwork() throws {
        var generator = SeededGenerator(seed: 8)
        let data = SyntheticData.twoMoons(pointsPerClass: 30, noise: 0.1, using: &generator)
        let erm = Models.bottleneckMLP(
            inputSize: 2, before: [8], bottleneck: 2, after: [8], classCount: 2, using: &generator)
        let manifold = Models.bottleneckMLP(
            inputSize: 2, before: [8], bottleneck: 2, after: [8], classCount: 2, using: &generator)
        let figure = try Bottleneck2DFigure.measure(
            [(name: "erm", model: erm, testError: 0.1), (name: "manifold-mixup", model: manifold, testError: 0.05)],
            on: data)
        #expect(figure.results.map(\.strategy) == ["erm", "manifold-mixup"])
        #expect(figure.results.allSatisfy { $0.sampleCount == 60 })
        #expect(figure.results.allSatisfy { $0.withinClassVarianceShare >= 0 && $0.withinClassVarianceShare <= 1 })
        // 60 points per panel, two panels, plus one legend dot per class.
        #expect(figure.svg.components(separatedBy: "<circle").count - 1 == 2 * 60 + 2)
        #expect(figure.svg.contains("manifold-mixup (test error 5.0%)"))
        // A network whose bottleneck is not 2-D is refused with its shape.
        let wide = Models.bottleneckMLP(
            inputSize: 2, before: [8], bottleneck: 3, after: [8], classCount: 2, using: &generator)
        #expect(throws: RunnerError.self) {
            try Bottleneck2DFigure.measure([(name: "wide", model: wide, testError: 0)], on: data)
        }
    }

    @Test(.enabled(if: BuiltinRecipesTests.mnistIsAvailable, "MNIST not found"))
    func mnistBottleneck2DWritesTheScatterOfBothNetworks() throws {
        let out = BuiltinRecipesTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let options = BuiltinRecipesTests.smokeOptions(
            out: out, data: BuiltinRecipesTests.mnistDirectory, steps: 2, limit: 100, batchSize: 50)
        let summary = try RecipeCommand.execute(.mnistBottleneck2D, options: options)
        #expect(summary.results.map(\.strategy) == ["erm", "manifold-mixup"])
        let svg = try String(
            contentsOfFile: (out as NSString).appendingPathComponent("bottleneck2d.svg"), encoding: .utf8)
        #expect(svg.components(separatedBy: "<circle").count - 1 == 2 * 100 + 10)
    }
}
