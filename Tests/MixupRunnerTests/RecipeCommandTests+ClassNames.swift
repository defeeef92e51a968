import Foundation
import MixupRunner
import Testing

extension RecipeCommandTests {
    /// A CSV with text labels: the runner saves the label → class mapping with the checkpoint, so class `i` of a
    /// trained model can be named again later.
    @Test func textLabelsAreSavedWithTheCheckpoint() throws {
        let directory = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let csv = (directory as NSString).appendingPathComponent("flowers.csv")
        var rows = ["width,height,species"]
        for i in 0..<24 {
            let species = ["setosa", "versicolor", "virginica"][i % 3]
            rows.append("\(Double(i % 3) + 0.01 * Double(i)),\(Double(i % 3) * 2),\(species)")
        }
        try rows.joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let recipe = Recipe(
            name: "flowers", summary: "text labels (test recipe)",
            data: { request in
                let all = try DatasetLoaders.csv(path: request.path ?? csv)
                return RecipeData(train: all, test: all)
            },
            model: { generator in Models.mlp(inputSize: 2, hiddenSizes: [4], classCount: 3, using: &generator) },
            optimizer: .adam(learningRate: 0.01, weightDecay: 0, decoupled: false), schedule: .constant, epochs: 1,
            batchSize: 8)
        var options = RunnerFixtures.quietOptions(out: (directory as NSString).appendingPathComponent("run"))
        options.dataPath = csv
        _ = try RunnerFixtures.capturingStandardOutput { try RecipeCommand.execute(recipe, options: options) }
        let checkpoint = try Checkpoint(
            contentsOf: (options.outputDirectory! as NSString).appendingPathComponent("checkpoint.safetensors"))
        let saved = try #require(checkpoint.metadata["class_names"])
        #expect(
            try JSONDecoder().decode([String].self, from: Data(saved.utf8)) == ["setosa", "versicolor", "virginica"])
    }
}
