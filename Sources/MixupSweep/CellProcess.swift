import Foundation

/// One cell's `run` process: prepares the cell folder, starts the process with its output captured in the folder,
/// forwards interrupts, and records how it ended in `status.json`.
final class CellProcess {
    let cell: SweepCell
    let resuming: Bool
    private let process = Process()
    private let started = Date()
    private var interruptedAt: Date?
    private var escalations = 0

    /// The file names a cell folder holds besides the run's own outputs.
    static let stdoutName = "stdout.log", stderrName = "stderr.log"

    /// Starts `executable` with the cell's arguments plus `extraArguments`.
    ///
    /// A failed cell's folder is emptied first (it reruns from scratch); an interrupted or unfinished cell with a
    /// checkpoint continues from it with `--resume`; logs are appended to.
    init(cell: SweepCell, executable: String, extraArguments: [String]) throws(SweepError) {
        self.cell = cell
        let fileManager = FileManager.default
        let status = SweepCellStatus.read(from: cell.directory)
        if status.state == .failed, fileManager.fileExists(atPath: cell.directory) {
            do {
                for name in try fileManager.contentsOfDirectory(atPath: cell.directory) {
                    try fileManager.removeItem(atPath: (cell.directory as NSString).appendingPathComponent(name))
                }
            } catch {
                throw .unwritable(path: cell.directory, reason: "could not clear the failed cell: \(error)")
            }
        }
        let checkpoint = (cell.directory as NSString).appendingPathComponent("checkpoint.safetensors")
        resuming = fileManager.fileExists(atPath: checkpoint)
        do {
            try fileManager.createDirectory(atPath: cell.directory, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: cell.directory, reason: error.localizedDescription)
        }
        try SweepCellStatus(state: .running).write(to: cell.directory)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = cell.arguments + (resuming ? ["--resume"] : []) + extraArguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try Self.appendingHandle(Self.stdoutName, in: cell.directory)
        process.standardError = try Self.appendingHandle(Self.stderrName, in: cell.directory)
        do {
            try process.run()
        } catch {
            try? SweepCellStatus(state: .failed, exitStatus: -1, message: "\(error)").write(to: cell.directory)
            throw .launchFailed(executable: executable, reason: error.localizedDescription)
        }
    }

    private static func appendingHandle(_ name: String, in directory: String) throws(SweepError) -> FileHandle {
        let path = (directory as NSString).appendingPathComponent(name)
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            return handle
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
    }

    var isRunning: Bool { process.isRunning }
    var seconds: Double { Date().timeIntervalSince(started) }

    /// Forwards Ctrl-C (SIGINT) so the run saves a checkpoint and stops; if it has not stopped 30 s later, SIGTERM,
    /// and 30 s after that SIGKILL. Call repeatedly while stopping.
    func stop() {
        guard process.isRunning else { return }
        let now = Date()
        guard let interruptedAt else {
            process.interrupt()
            self.interruptedAt = now
            return
        }
        let waited = now.timeIntervalSince(interruptedAt)
        if waited > 30, escalations == 0 {
            process.terminate()
            escalations = 1
        } else if waited > 60, escalations == 1 {
            kill(process.processIdentifier, SIGKILL)
            escalations = 2
        }
    }

    /// Blocks until the process ends.
    func wait() { process.waitUntilExit() }

    /// Records how the ended process went and returns the event to report.
    func finish() -> SweepEvent {
        let seconds = self.seconds
        let status = process.terminationStatus
        let bySignal = process.terminationReason == .uncaughtSignal
        let event: SweepEvent
        let record: SweepCellStatus
        if !bySignal, status == 0, SweepCellResult.summary(in: cell.directory) != nil {
            event = .finished(cell, seconds: seconds)
            record = SweepCellStatus(state: .finished, exitStatus: 0, seconds: seconds)
        } else if interruptedAt != nil || bySignal {
            event = .interrupted(cell)
            record = SweepCellStatus(state: .interrupted, exitStatus: status, seconds: seconds)
        } else {
            let message =
                status == 0
                ? "the run exited successfully but \(Self.stdoutName) does not end with a JSON summary"
                : Self.lastLine(of: (cell.directory as NSString).appendingPathComponent(Self.stderrName))
                    ?? "no message"
            event = .failed(cell, exitStatus: status, message: message)
            record = SweepCellStatus(state: .failed, exitStatus: status, message: message, seconds: seconds)
        }
        do {
            try record.write(to: cell.directory)
        } catch {
            return .failed(cell, exitStatus: status, message: error.description)
        }
        return event
    }

    /// The last non-empty line of a text file, without carriage-return progress redraws.
    static func lastLine(of path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data.suffix(64 * 1024), as: UTF8.self)
        let line = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).last { !$0.allSatisfy(\.isWhitespace) }
        return line.map(String.init)
    }
}
