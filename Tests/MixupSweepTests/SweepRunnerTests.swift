import Foundation
import Testing

@testable import MixupSweep

@Suite struct SweepRunnerTests {
    @Test func runsEveryCellInItsOwnFolderAndSkipsFinishedOnRerun() throws {
        let fixture = try SweepFixture()
        defer { fixture.remove() }
        let sweep = Sweep(
            recipe: "spirals", outputDirectory: fixture.path("s"), strategies: ["erm", "mixup"], seeds: [0, 1])
        let reporter = RecordingSweepReporter()
        let outcome = try fixture.runner(reporter: reporter).run(sweep)
        #expect(outcome.succeeded)
        #expect(outcome.finished.sorted() == [0, 1, 2, 3])
        for cell in sweep.cells {
            #expect(SweepCellStatus.read(from: cell.directory).state == .finished)
            let files = try FileManager.default.contentsOfDirectory(atPath: cell.directory).sorted()
            #expect(files == ["metrics.jsonl", "status.json", "stderr.log", "stdout.log"])
        }
        #expect(fixture.invocations("s").count == 4)
        guard case .progress(let last) = reporter.events.last else {
            Issue.record("the last event is not a progress line: \(reporter.events)")
            return
        }
        #expect(last.done == 4 && last.running == 0 && last.failed == 0 && last.secondsLeft == 0)

        let rerun = try fixture.runner().run(sweep)
        #expect(rerun.skipped == [0, 1, 2, 3] && rerun.finished.isEmpty)
        #expect(fixture.invocations("s").count == 4)
    }

    @Test func aFailingCellIsReportedAndTheOthersFinish() throws {
        let fixture = try SweepFixture()
        defer { fixture.remove() }
        let sweep = Sweep(
            recipe: "spirals", outputDirectory: fixture.path("s"), strategies: ["boom", "erm"], seeds: [0, 1, 2])
        let reporter = RecordingSweepReporter()
        let outcome = try fixture.runner(jobs: 1, reporter: reporter).run(sweep)
        #expect(!outcome.succeeded)
        #expect(outcome.failed == [0, 1, 2])
        #expect(outcome.finished == [3, 4, 5])
        let failures = reporter.events.compactMap { event -> String? in
            if case .failed(_, let status, let message) = event { return "\(status) \(message)" }
            return nil
        }
        #expect(failures == (0...2).map { "1 error: strategy boom exploded (seed \($0))" })
        let status = SweepCellStatus.read(from: sweep.cells[1].directory)
        #expect(status.state == .failed && status.exitStatus == 1)

        // Rerun: finished cells are skipped, failed ones run again from scratch.
        let rerun = try fixture.runner().run(sweep)
        #expect(rerun.skipped == [3, 4, 5] && rerun.failed.sorted() == [0, 1, 2])
        #expect(fixture.invocations("s").count == 9)
    }

    @Test func anInterruptedCellResumesFromItsCheckpoint() throws {
        let fixture = try SweepFixture()
        defer { fixture.remove() }
        let sweep = Sweep(recipe: "spirals", outputDirectory: fixture.path("s"), strategies: ["erm"], seeds: [0, 1])
        // Seed 1 was killed mid-run: a checkpoint and a `running` status, no summary.
        let cell = sweep.cells[1]
        try FileManager.default.createDirectory(atPath: cell.directory, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: cell.directory + "/checkpoint.safetensors", contents: Data([1])))
        try SweepCellStatus(state: .running).write(to: cell.directory)
        let reporter = RecordingSweepReporter()
        let outcome = try fixture.runner(reporter: reporter).run(sweep)
        #expect(outcome.succeeded)
        #expect(fixture.invocations("s").sorted() == ["erm 1 0 resume=0", "erm 1 1 resume=1"])
        #expect(reporter.events.contains(.started(cell, resuming: true)))
    }

    @Test func aMissingExecutableFailsEachCellWithItsName() throws {
        let fixture = try SweepFixture()
        defer { fixture.remove() }
        let sweep = Sweep(recipe: "spirals", outputDirectory: fixture.path("s"), seeds: [0])
        let runner = SweepRunner(executable: fixture.path("nope"), reporter: SilentSweepReporter())
        let outcome = try runner.run(sweep)
        #expect(outcome.failed == [0])
        #expect(SweepCellStatus.read(from: sweep.cells[0].directory).state == .failed)
    }
}
