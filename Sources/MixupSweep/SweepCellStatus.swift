import Foundation

/// What is known about a cell from its folder: `status.json`, written when the cell starts and when it ends.
public struct SweepCellStatus: Codable, Sendable, Equatable {
    /// The stages of a cell.
    public enum State: String, Codable, Sendable {
        /// Never started (no `status.json`).
        case pending
        /// Started and not ended — running now, or its process was killed without a chance to say so; a rerun
        /// resumes it from its checkpoint.
        case running
        /// Stopped by Ctrl-C (or a signal) after saving a checkpoint; a rerun resumes it.
        case interrupted
        /// Exited with an error; a rerun starts it again from scratch.
        case failed
        /// Exited successfully with a JSON summary as the last line of `stdout.log`; a rerun skips it.
        case finished
    }

    /// The stage.
    public var state: State
    /// The process's exit status (or terminating signal), when it ended.
    public var exitStatus: Int32?
    /// The last line the process wrote to standard error when it failed, to show why.
    public var message: String?
    /// Wall-clock seconds of the last attempt.
    public var seconds: Double?

    /// Creates a status.
    public init(state: State, exitStatus: Int32? = nil, message: String? = nil, seconds: Double? = nil) {
        self.state = state
        self.exitStatus = exitStatus
        self.message = message
        self.seconds = seconds
    }

    /// The path of the status file in a cell folder.
    static func path(in directory: String) -> String {
        (directory as NSString).appendingPathComponent("status.json")
    }

    /// Reads the status of the cell in `directory`: `.pending` when there is none, `.failed` when it is unreadable.
    public static func read(from directory: String) -> SweepCellStatus {
        guard let data = FileManager.default.contents(atPath: path(in: directory)) else {
            return SweepCellStatus(state: .pending)
        }
        return (try? JSONDecoder().decode(SweepCellStatus.self, from: data))
            ?? SweepCellStatus(state: .failed, message: "unreadable \(path(in: directory))")
    }

    /// Writes the status into `directory` atomically.
    ///
    /// - Throws: ``SweepError/unwritable(path:reason:)``.
    func write(to directory: String) throws(SweepError) {
        let path = Self.path(in: directory)
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
    }
}
