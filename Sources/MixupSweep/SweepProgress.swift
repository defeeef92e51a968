import Foundation

/// The sweep-level progress line: cells done / running / failed and the estimated time left.
public struct SweepProgress: Sendable, Equatable, CustomStringConvertible {
    /// All cells of the sweep.
    public var total: Int
    /// Finished cells (including those skipped as already finished).
    public var done: Int
    /// Cells running now.
    public var running: Int
    /// Cells that failed in this invocation.
    public var failed: Int
    /// Estimated seconds until the last cell ends, from the mean duration of the cells that ended in this invocation;
    /// `nil` before the first one ends.
    public var secondsLeft: Double?

    /// Creates a progress value.
    public init(total: Int, done: Int, running: Int, failed: Int, secondsLeft: Double?) {
        self.total = total
        self.done = done
        self.running = running
        self.failed = failed
        self.secondsLeft = secondsLeft
    }

    /// `sweep: 5/12 done, 2 running, 1 failed, ETA 3:20`.
    public var description: String {
        let eta = secondsLeft.map { seconds -> String in
            let s = Int(seconds.rounded())
            return s >= 3600
                ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String(format: "%d:%02d", s / 60, s % 60)
        }
        return "sweep: \(done)/\(total) done, \(running) running, \(failed) failed, ETA \(eta ?? "--:--")"
    }
}
