import Foundation
import Testing

@testable import MixupSweep

@Suite struct SweepCommandTests {
    let command = SweepCommand(
        recipes: ["spirals", "mnist-mlp"], executable: "/bin/false", reporter: SilentSweepReporter())

    @Test func parsesAxesSeedsAndPassesOtherFlagsToTheCells() throws {
        let invocation = try command.parse([
            "mnist-mlp", "--strategy", "erm,manifold", "--alpha", "0.5,2", "--mix-points", "input,hidden1:hidden2",
            "--seeds", "0-2,7", "--jobs", "2", "--out", "sweeps/m", "--epochs", "3", "--quiet", "--vary",
            "batch-size=64,128",
        ])
        #expect(invocation.jobs == 2 && invocation.slurm == nil)
        let sweep = invocation.sweep
        #expect(sweep.strategies == ["erm", "manifold"])
        #expect(sweep.alphas == [0.5, 2])
        #expect(sweep.mixPointSets == [["input"], ["hidden1", "hidden2"]])
        #expect(sweep.seeds == [0, 1, 2, 7])
        #expect(sweep.outputDirectory == "sweeps/m")
        #expect(sweep.arguments == ["--epochs", "3", "--quiet"])
        #expect(sweep.options == [SweepOption(flag: "batch-size", values: ["64", "128"])])
        // erm × 2 batch sizes + manifold × 2 α × 2 sets × 2 batch sizes, × 4 seeds.
        #expect(sweep.cells.count == (2 + 8) * 4)
    }

    @Test func parsesSlurmOptions() throws {
        let invocation = try command.parse([
            "spirals", "--strategy", "erm", "--slurm", "--partition", "debug", "--array-limit", "3", "--dry-run",
        ])
        #expect(invocation.dryRun)
        #expect(invocation.slurm?.partition == "debug" && invocation.slurm?.arrayLimit == 3)
        #expect(invocation.slurm?.executable == "/bin/false")
    }

    @Test func badInputNamesTheValue() {
        #expect(
            throws: SweepError.invalidArgument("--seeds needs non-negative integers or ranges like 0-4, got \"4-2\"")
        ) {
            try command.parse(["spirals", "--seeds", "4-2"])
        }
        #expect(throws: SweepError.invalidArgument("--alpha values must be positive numbers, got \"0\"")) {
            try command.parse(["spirals", "--alpha", "1,0"])
        }
        #expect(throws: SweepError.invalidArgument("unknown recipe \"nope\"; available: spirals, mnist-mlp")) {
            try command.parse(["nope"])
        }
        #expect(throws: SweepError.invalidArgument("--partition needs --slurm")) {
            try command.parse(["spirals", "--partition", "p"])
        }
        #expect(throws: SweepError.self) { try command.parse(["spirals", "--seed", "1"]) }
    }

    @Test func exitStatusIsNonZeroWhenACellFailsAndResultsAreWritten() throws {
        let fixture = try SweepFixture()
        defer { fixture.remove() }
        let command = SweepCommand(
            recipes: ["spirals"], executable: fixture.executable, reporter: SilentSweepReporter(), output: { _ in })
        let out = fixture.path("s")
        #expect(
            command.run(arguments: ["spirals", "--strategy", "erm,boom", "--seeds", "0-1", "--jobs", "2", "--out", out])
                == 1)
        #expect(FileManager.default.fileExists(atPath: out + "/results.md"))
        #expect(command.run(arguments: ["report", out]) == 1)
        #expect(command.run(arguments: ["cell", out, "1"]) == 0)  // finished: skipped
        #expect(command.run(arguments: ["cell", out, "2"]) == 1)  // boom fails again
        #expect(command.run(arguments: ["cell", out, "9"]) == 2)
        #expect(
            command.run(arguments: ["spirals", "--strategy", "erm", "--seeds", "0-1", "--out", fixture.path("t")]) == 0)
    }
}
