import Foundation
import MixupRecipes
import Testing

/// The `regression` recipe end to end: numeric targets through `RecipeCommand`, the MSE objective and the summary.
@Suite(.serialized) struct RegressionRecipeTests {
    /// A CSV file whose `price` column (the middle one) is 2·a − b + 0.5·c + small noise.
    func writeLinearCSV(to path: String, badRow: Int? = nil) throws {
        var generator = SeededGenerator(seed: 5)
        var text = "a,b,price,c\n"
        for row in 0..<120 {
            let x = (0..<3).map { _ in generator.nextUniform(-2, 2) }
            let y = 2 * x[0] - x[1] + 0.5 * x[2] + 0.05 * generator.nextNormal()
            let target = row == badRow ? "cheap" : String(format: "%.5f", y)
            text += String(format: "%.5f,%.5f,", x[0], x[1]) + target + String(format: ",%.5f\n", x[2])
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The MSE on `data.test` of always predicting the training targets' mean.
    func meanPredictorMSE(_ data: RecipeData) throws -> Double {
        let train = try #require(data.train.targets)
        let test = try #require(data.test?.targets)
        let mean = train.reduce(0) { $0 + Double($1) } / Double(train.count)
        return test.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(test.count)
    }

    @Test func syntheticSineTrainsBelowTheMeanPredictorWithEachStrategy() throws {
        let out = BuiltinRecipesTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let data = try Recipe.regression.data(DataRequest(seed: 0))
        #expect(data.train.isRegression && data.train.count == 256 && data.test?.count == 512)
        #expect(data.train.sampleShape == [1] && data.train.targetWidth == 1 && data.train.labels == nil)
        let baseline = try meanPredictorMSE(data)
        #expect(abs(baseline - 1) < 0.2, "standardised targets: the mean predictor scores about 1, got \(baseline)")
        var options = try RecipeCommand.parse(["--epochs", "12", "--quiet"], recipeFlags: Recipe.regression.flags)
        options.outputDirectory = out
        let summary = try RecipeCommand.execute(.regression, options: options)
        #expect(summary.results.map(\.strategy) == ["erm", "mixup", "cmixup"])
        #expect(summary.testMSE == nil && summary.testError == nil, "a comparison reports per strategy")
        for result in summary.results {
            let mse = try #require(result.testMSE)
            #expect(mse < 0.5 * baseline, "\(result.strategy): test MSE \(mse) vs the mean's \(baseline)")
            #expect(result.testError == nil && result.testNLL == nil && result.testECE == nil)
            #expect(abs(try #require(result.testRMSE) - mse.squareRoot()) < 1e-5)
            let metrics = try String(
                contentsOfFile: (result.output as NSString).appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            #expect(metrics.contains("\"test_mse\"") && !metrics.contains("\"test_error\""))
        }
        // One strategy: the summary line carries test_mse at the top level and no test_error.
        let single = (out as NSString).appendingPathComponent("single")
        var cmixup = options
        cmixup.strategy = "cmixup"
        cmixup.epochs = 2
        cmixup.outputDirectory = single
        let summaryOfOne = try RecipeCommand.execute(.regression, options: cmixup)
        #expect(summaryOfOne.strategy == "cmixup")
        let mse = try #require(summaryOfOne.testMSE)
        #expect(mse.isFinite && mse > 0 && summaryOfOne.testError == nil)
        let json = String(decoding: try JSONEncoder().encode(summaryOfOne), as: UTF8.self)
        #expect(json.contains("\"test_mse\":") && json.contains("\"test_rmse\":") && !json.contains("\"test_error\""))
    }

    @Test func csvWithANumericTargetColumnTrains() throws {
        let out = BuiltinRecipesTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let csv = (out as NSString).appendingPathComponent("prices.csv")
        try writeLinearCSV(to: csv)
        var options = try RecipeCommand.parse(
            ["--data", csv, "--target-column", "price", "--strategy", "cmixup", "--epochs", "15", "--quiet"],
            recipeFlags: Recipe.regression.flags)
        options.outputDirectory = (out as NSString).appendingPathComponent("run")
        let data = try Recipe.regression.data(
            DataRequest(path: csv, seed: options.seed, flags: options.recipeFlags))
        #expect(data.train.count == 96 && data.test?.count == 24 && data.train.sampleShape == [3])
        let baseline = try meanPredictorMSE(data)
        let summary = try RecipeCommand.execute(.regression, options: options)
        let mse = try #require(summary.testMSE)
        #expect(mse < 0.3 * baseline, "test MSE \(mse) vs the mean's \(baseline)")
        // By index: the same column.
        let byIndex = try Recipe.regression.data(
            DataRequest(path: csv, seed: options.seed, flags: ["target-column": "2"]))
        #expect(byIndex.train.targets == data.train.targets)
    }

    @Test func badTargetsAreErrorsNamingTheValue() throws {
        let out = BuiltinRecipesTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let csv = (out as NSString).appendingPathComponent("bad.csv")
        try writeLinearCSV(to: csv, badRow: 7)
        func message(_ flags: [String: String], path: String? = nil) -> String {
            do {
                _ = try Recipe.regression.data(DataRequest(path: path ?? csv, seed: 0, flags: flags))
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let nonNumeric = message(["target-column": "price"])
        #expect(nonNumeric.contains("\"cheap\"") && nonNumeric.contains("bad.csv:9"), "\(nonNumeric)")
        let missing = message(["target-column": "cost"])
        #expect(missing.contains("\"cost\""), "\(missing)")
        let outOfRange = message(["target-column": "9"])
        #expect(outOfRange.contains("9"), "\(outOfRange)")
        // --target-column without --data does not apply.
        #expect(throws: RunnerError.self) {
            _ = try Recipe.regression.data(DataRequest(seed: 0, flags: ["target-column": "price"]))
        }
        // Through the command line: status 1 and the value in the message.
        let code = RecipeCommand.run(
            arguments: ["run", "regression", "--data", csv, "--target-column", "price", "--quiet", "--out", out],
            recipes: BuiltinRecipes.all)
        #expect(code == 1)
    }
}
