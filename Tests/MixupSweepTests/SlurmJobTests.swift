import Foundation
import Testing

@testable import MixupSweep

@Suite struct SlurmJobTests {
    @Test func scriptHasTheArrayRangeAndPerTaskCommand() {
        let sweep = Sweep(
            recipe: "spirals", outputDirectory: "sweeps/s", strategies: ["erm", "mixup"], seeds: [0, 1, 2])
        let job = SlurmJob(
            partition: "cpu", time: "0:30:00", cpusPerTask: 2, arrayLimit: 4, executable: "/opt/bin/mixup",
            workingDirectory: "/home/me/project")
        let script = job.script(for: sweep, indices: Array(0..<6))
        let lines = script.split(separator: "\n").map(String.init)
        #expect(lines.first == "#!/bin/bash")
        #expect(lines.contains("#SBATCH --array=0-5%4"))
        #expect(lines.contains("#SBATCH --partition=cpu"))
        #expect(lines.contains("#SBATCH --time=0:30:00"))
        #expect(lines.contains("#SBATCH --cpus-per-task=2"))
        #expect(lines.contains("#SBATCH --chdir=/home/me/project"))
        #expect(lines.contains("#SBATCH --output=/home/me/project/sweeps/s/slurm/task-%A_%a.log"))
        #expect(lines.last == "exec /opt/bin/mixup sweep cell sweeps/s \"$SLURM_ARRAY_TASK_ID\" --threads 2")
    }

    @Test func thePerTaskCommandRunsItsCell() throws {
        let fixture = try SweepFixture()
        defer { fixture.remove() }
        let sweep = Sweep(recipe: "spirals", outputDirectory: fixture.path("s"), strategies: ["erm"], seeds: [0, 1])
        try sweep.save()
        let job = SlurmJob(cpusPerTask: 1, executable: fixture.executable, workingDirectory: fixture.root)
        let exec = try #require(job.script(for: sweep, indices: [0, 1]).split(separator: "\n").last)
        // What bash runs for array task 1, split into words (no word of this script needs quotes).
        let words = exec.replacingOccurrences(of: "\"$SLURM_ARRAY_TASK_ID\"", with: "1").split(separator: " ").map(
            String.init)
        #expect(words.prefix(2) == ["exec", fixture.executable])
        let command = SweepCommand(
            recipes: [], executable: fixture.executable, reporter: SilentSweepReporter(), output: { _ in })
        #expect(command.run(arguments: Array(words.dropFirst(3))) == 0)
        #expect(SweepCellStatus.read(from: sweep.cells[1].directory).state == .finished)
        #expect(SweepCellStatus.read(from: sweep.cells[0].directory).state == .pending)
        #expect(fixture.invocations("s") == ["erm 1 1 resume=0"])
    }

    @Test func arraySpecificationCompressesRanges() {
        let job = SlurmJob(executable: "/x", workingDirectory: "/")
        #expect(job.arraySpecification([7, 0, 2, 3, 4]) == "0,2-4,7")
        #expect(job.arraySpecification([5]) == "5")
        var limited = job
        limited.arrayLimit = 2
        #expect(limited.arraySpecification([1, 2, 3]) == "1-3%2")
    }

    @Test func rerunSubmitsOnlyUnfinishedCells() throws {
        let fixture = try SweepFixture()
        defer { fixture.remove() }
        let sweep = Sweep(
            recipe: "spirals", outputDirectory: fixture.path("s"), strategies: ["erm", "boom"], seeds: [0, 1])
        // Run cells locally first: erm finishes, boom fails.
        _ = try fixture.runner().run(sweep)
        #expect(SlurmJob.unfinishedCells(of: sweep) == [2, 3])
        let job = SlurmJob(arrayLimit: 1, executable: "/opt/bin/mixup", workingDirectory: fixture.root)
        let submission = try job.submit(sweep, dryRun: true)
        #expect(submission.cells == [2, 3])
        #expect(submission.jobID == nil)
        #expect(submission.script?.contains("#SBATCH --array=2-3%1") == true)
        let path = try #require(submission.scriptPath)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == submission.script)
    }

    @Test func quotingKeepsPathsWithSpacesIntact() {
        #expect(SlurmJob.quoted("/a b/it's") == "'/a b/it'\\''s'")
        #expect(SlurmJob.quoted("/plain/path-1.2") == "/plain/path-1.2")
    }
}
