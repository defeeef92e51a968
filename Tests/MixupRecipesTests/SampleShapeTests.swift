import Foundation
import MixupRecipes
import Testing

/// Issue 14: images of another size are an error naming both shapes, before any training — not a trap in the model.
@Suite struct SampleShapeTests {
    static func images(height: Int, width: Int) throws -> Dataset {
        try Dataset(
            name: "images-\(height)x\(width)", sampleShape: [1, height, width],
            samples: [Float](repeating: 0.5, count: 4 * height * width), labels: [0, 1, 2, 3], classCount: 10)
    }

    @Test(arguments: [("mnist-mlp", 27, 29), ("mnist-cnn", 14, 56), ("mnist-ict", 27, 29)])
    func wrongImageSizeNamesBothShapes(recipeName: String, height: Int, width: Int) throws {
        var recipe = try #require(BuiltinRecipes.all.first { $0.name == recipeName })
        let images = try Self.images(height: height, width: width)
        recipe.data = { _ in RecipeData(train: images, unlabelled: images.removingLabels(), test: images) }
        var options = RunOptions()
        options.outputDirectory = BuiltinRecipesTests.temporaryDirectory()
        options.quiet = true
        options.batchSize = 2
        defer { try? FileManager.default.removeItem(atPath: options.outputDirectory ?? "") }
        let error = try #require(throws: RunnerError.self) {
            try RecipeCommand.execute(recipe, options: options, reporter: StandardStreamsReporter())
        }
        guard case .training(_, .sampleShapeMismatch(_, [1, 28, 28], [1, height, width])) = error else {
            Issue.record("expected a sample shape mismatch, got \(error)")
            return
        }
        #expect(error.description.contains("[1, 28, 28]") && error.description.contains("[1, \(height), \(width)]"))
    }
}
