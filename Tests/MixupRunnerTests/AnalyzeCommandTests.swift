import Foundation
import MixupRunner
import Testing

@Suite(.serialized) struct AnalyzeCommandTests {
    @Test func parsesMeasurementsAndRejectsBadFlags() throws {
        let options = try AnalyzeCommand.parse(["runs/x", "--fgsm", "--flattening", "hidden1", "--epsilons", "0,0.1"])
        #expect(options.folder == "runs/x")
        #expect(options.measurements == [.fgsm, .flattening])
        #expect(options.flatteningPoint == "hidden1")
        #expect(options.epsilons == [0, 0.1])
        #expect(try AnalyzeCommand.parse(["runs/x"]).measurements.isEmpty)
        do {
            _ = try AnalyzeCommand.parse(["runs/x", "--epsilons", "0,-1"])
            Issue.record("a negative ε was accepted")
        } catch {
            #expect("\(error)".contains("0,-1"))
        }
        #expect(throws: RunnerError.self) { try AnalyzeCommand.parse(["runs/x", "--bogus"]) }
        #expect(throws: RunnerError.self) { try AnalyzeCommand.parse(["--fgsm"]) }
    }

    @Test func analyzesATrainedRunAndWritesItsReports() throws {
        let directory = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recipe = RunnerFixtures.tinyRecipe()
        _ = try RunnerFixtures.capturingStandardOutput {
            try RecipeCommand.execute(recipe, options: RunnerFixtures.quietOptions(out: directory, epochs: 1))
        }
        var options = AnalyzeCommand.Options(folder: directory)
        options.attackSamples = 10
        let (summary, output) = try RunnerFixtures.capturingStandardOutput {
            try AnalyzeCommand.execute(options, recipes: [recipe])
        }
        #expect(output.contains("\"command\":\"analyze\""))
        let models = try #require(summary["models"] as? [[String: Any]])
        #expect(models.count == 1)
        #expect(models[0]["ece"] is Double)
        for file in ["analysis.json", "analysis.md", "calibration.svg", "adversarial.svg", "between_points.svg"] {
            #expect(
                FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(file)), "\(file)")
        }
        let data = try Data(
            contentsOf: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("analysis.json")))
        let analysis = try JSONDecoder().decode(ModelAnalysis.self, from: data)
        #expect(analysis.fgsm?.points.count == 7)
        #expect(analysis.flattening?.mixPoint == "hidden1")
        #expect(analysis.deformations == nil)  // 2-D samples are not images
        #expect(analysis.validationHeldOut == false)
        #expect(analysis.calibration != nil)
    }

    @Test func aFolderWithoutCheckpointsIsAClearError() throws {
        let directory = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            _ = try AnalyzeCommand.execute(AnalyzeCommand.Options(folder: directory), recipes: [])
            Issue.record("an empty folder was analysed")
        } catch {
            #expect("\(error)".contains(directory))
        }
    }
}
