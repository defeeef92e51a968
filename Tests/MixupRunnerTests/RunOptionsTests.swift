import Foundation
import MixupRunner
import Testing

@Suite struct RunOptionsTests {
    @Test func mixPointsParseAsAList() throws {
        let options = try RecipeCommand.parse(["--strategy", "manifold", "--mix-points", "input,hidden1"])
        #expect(options.mixPoints == ["input", "hidden1"])
        #expect(try RecipeCommand.parse([]).mixPoints == nil)
        #expect(throws: (any Error).self) { try RecipeCommand.parse(["--mix-points", "input,,hidden1"]) }
    }

    @Test func mixPointsRestrictManifoldMixupAndNeedIt() throws {
        let directory = RunnerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = RunnerFixtures.quietOptions(out: directory)
        options.strategy = "manifold"
        options.mixPoints = ["hidden1"]
        let (_, output) = try RunnerFixtures.capturingStandardOutput {
            try RecipeCommand.execute(RunnerFixtures.tinyRecipe(), options: options)
        }
        #expect(output.contains("manifold-mixup"))
        options.mixPoints = ["hidden7"]
        #expect(throws: (any Error).self) {
            _ = try RunnerFixtures.capturingStandardOutput {
                try RecipeCommand.execute(RunnerFixtures.tinyRecipe(), options: options)
            }
        }
        options.strategy = "mixup"
        options.mixPoints = ["input"]
        let error = #expect(throws: RunnerError.self) {
            try RecipeCommand.execute(RunnerFixtures.tinyRecipe(), options: options)
        }
        guard case .flagDoesNotApply(let flag, let reason)? = error else {
            Issue.record("expected RunnerError.flagDoesNotApply, got \(String(describing: error))")
            return
        }
        #expect(flag == "--mix-points" && reason.contains("mixup"))
    }
}
