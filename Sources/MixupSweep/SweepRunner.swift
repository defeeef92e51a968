import Dispatch
import Foundation
import Synchronization

/// Runs the cells of a ``Sweep`` on this machine, `jobs` processes at a time, each `<executable> run …` in its own
/// folder.
///
/// Rerunning the same sweep skips finished cells, resumes interrupted (or killed) ones from their checkpoints with
/// `run --resume`, and starts failed ones again from scratch. A failing cell is reported and the others go on. Ctrl-C
/// (SIGINT) during ``run(_:)`` is forwarded to the running cells — they save a checkpoint and stop — no new cell
/// starts, and the previous SIGINT action is restored before returning.
public struct SweepRunner: Sendable {
    /// How many cells run at once (≥ 1).
    public var jobs: Int
    /// The program the cells run: by default this process's own executable, so a package's `RecipeCommand.main`
    /// binary sweeps its own recipes and strategies.
    public var executable: String
    /// Arguments appended to every cell's command line, e.g. `["--threads", "1"]`.
    public var extraArguments: [String]
    /// Where progress goes.
    public var reporter: any SweepReporter

    /// Creates a runner.
    ///
    /// - Precondition: `jobs ≥ 1`.
    public init(
        jobs: Int = 1, executable: String = SweepRunner.currentExecutable, extraArguments: [String] = [],
        reporter: any SweepReporter = ConsoleSweepReporter()
    ) {
        precondition(jobs >= 1, "SweepRunner: jobs must be at least 1, got \(jobs)")
        self.jobs = jobs
        self.executable = executable
        self.extraArguments = extraArguments
        self.reporter = reporter
    }

    /// The path of the running executable (`/proc/self/exe` resolved on Linux).
    public static var currentExecutable: String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    /// How a sweep invocation ended.
    public struct Outcome: Sendable, Equatable {
        /// Cells that finished in this invocation.
        public var finished: [Int]
        /// Cells skipped as already finished.
        public var skipped: [Int]
        /// Cells that failed.
        public var failed: [Int]
        /// Cells stopped by an interrupt (or never started because of it).
        public var interrupted: [Int]
        /// Whether Ctrl-C stopped the sweep.
        public var wasInterrupted: Bool

        /// Every cell finished.
        public var succeeded: Bool { failed.isEmpty && interrupted.isEmpty && !wasInterrupted }
    }

    /// Raised by SIGINT on the signal source's queue, polled by the scheduling loop.
    private final class StopFlag: Sendable {
        let raised = Atomic<Bool>(false)
    }

    /// Saves `sweep.json`, runs every unfinished cell, and returns what happened. Does not write the results; see
    /// ``SweepReport``.
    ///
    /// - Throws: ``SweepError`` for an invalid sweep or an unwritable folder; a cell that cannot start counts as failed.
    public func run(_ sweep: Sweep) throws(SweepError) -> Outcome {
        try sweep.validate()
        try sweep.save()
        let cells = sweep.cells
        var outcome = Outcome(finished: [], skipped: [], failed: [], interrupted: [], wasInterrupted: false)
        var pending: [SweepCell] = []
        for cell in cells {
            if SweepCellStatus.read(from: cell.directory).state == .finished,
                SweepCellResult.summary(in: cell.directory) != nil
            {
                outcome.skipped.append(cell.index)
                reporter.report(.skipped(cell))
            } else {
                pending.append(cell)
            }
        }
        let flag = StopFlag()
        let previous = signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { flag.raised.store(true, ordering: .relaxed) }
        source.resume()
        defer {
            source.cancel()
            signal(SIGINT, previous)
        }
        var running: [CellProcess] = []
        var durations: [Double] = []
        func progress() {
            let ended = durations.count
            let left = pending.count + running.count
            let eta = ended == 0 ? nil : durations.reduce(0, +) / Double(ended) * Double(left) / Double(jobs)
            reporter.report(
                .progress(
                    SweepProgress(
                        total: cells.count, done: outcome.skipped.count + outcome.finished.count,
                        running: running.count, failed: outcome.failed.count, secondsLeft: left == 0 ? 0 : eta)))
        }
        progress()
        pending.reverse()  // pop from the end in cell order
        while !pending.isEmpty || !running.isEmpty {
            let stopping = flag.raised.load(ordering: .relaxed)
            if stopping {
                outcome.wasInterrupted = true
                outcome.interrupted += pending.map(\.index)
                pending.removeAll()
                for cell in running { cell.stop() }
            }
            var changed = false
            while running.count < jobs, let cell = pending.popLast() {
                do {
                    let process = try CellProcess(cell: cell, executable: executable, extraArguments: extraArguments)
                    reporter.report(.started(cell, resuming: process.resuming))
                    running.append(process)
                } catch {
                    outcome.failed.append(cell.index)
                    reporter.report(.failed(cell, exitStatus: -1, message: error.description))
                }
                changed = true
            }
            let ended = running.filter { !$0.isRunning }
            running.removeAll { process in ended.contains { $0 === process } }
            for process in ended {
                let event = process.finish()
                reporter.report(event)
                durations.append(process.seconds)
                switch event {
                case .finished: outcome.finished.append(process.cell.index)
                case .interrupted: outcome.interrupted.append(process.cell.index)
                default: outcome.failed.append(process.cell.index)
                }
                changed = true
            }
            if changed { progress() }
            if !running.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
        }
        return outcome
    }
}
