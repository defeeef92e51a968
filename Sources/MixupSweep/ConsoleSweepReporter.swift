import Foundation

/// Writes one line per event to standard error (the `mixup sweep` default).
public struct ConsoleSweepReporter: SweepReporter {
    /// Creates the reporter.
    public init() {}

    public func report(_ event: SweepEvent) {
        let line: String
        switch event {
        case .skipped(let cell): line = "skip \(cell.configuration) seed \(cell.seed): already finished"
        case .started(let cell, let resuming):
            line = "\(resuming ? "resume" : "start") \(cell.configuration) seed \(cell.seed) → \(cell.directory)"
        case .finished(let cell, let seconds):
            line = String(format: "done \(cell.configuration) seed \(cell.seed) in %.1fs", seconds)
        case .failed(let cell, let status, let message):
            line =
                "FAILED \(cell.configuration) seed \(cell.seed) (exit \(status)): \(message) — see \(cell.directory)/stderr.log"
        case .interrupted(let cell): line = "interrupted \(cell.configuration) seed \(cell.seed) (resumable)"
        case .progress(let progress): line = progress.description
        case .wrote(let path): line = "wrote \(path)"
        case .note(let text): line = text
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
