import Foundation
import MixupRunner
import _MixupTestSupport

/// Recipes, folders and output capture shared by the runner tests.
enum RunnerFixtures {
    /// A two-moons recipe with a tiny MLP that trains in a fraction of a second.
    static func tinyRecipe(
        name: String = "tiny", comparison: [Regularizer] = [], failingData: Bool = false
    ) -> Recipe {
        Recipe(
            name: name, summary: "two moons, 2-8-2 MLP (test recipe)",
            data: { request in
                if failingData { throw RunnerError.missingData("no data for this test") }
                var generator = SeededGenerator(seed: 100 + request.seed)
                let perClass = min(request.limit ?? 40, 40)
                return RecipeData(
                    train: SyntheticData.twoMoons(pointsPerClass: perClass, noise: 0.1, using: &generator),
                    test: SyntheticData.twoMoons(pointsPerClass: 20, noise: 0.1, using: &generator))
            },
            model: { generator in Models.mlp(inputSize: 2, hiddenSizes: [8], classCount: 2, using: &generator) },
            regularizer: .erm, comparison: comparison,
            optimizer: .adam(learningRate: 0.01, weightDecay: 0, decoupled: false),
            schedule: .constant, epochs: 2, batchSize: 16)
    }

    /// A fresh empty folder under the temporary directory.
    static func temporaryDirectory(_ label: String = #function) -> String {
        let name = "mixupkit-runner-tests-\(label.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)"
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent(name)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs `body` with standard output redirected and returns what was written (see `StandardOutputCapture`).
    static func capturingStandardOutput<T>(_ body: () throws -> T) rethrows -> (result: T, output: String) {
        try StandardOutputCapture.capturing(body)
    }

    /// Options for a quiet run into `directory`.
    static func quietOptions(out directory: String, epochs: Int? = nil) -> RunOptions {
        var options = RunOptions()
        options.outputDirectory = directory
        options.quiet = true
        options.epochs = epochs
        return options
    }
}
