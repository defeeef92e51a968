/// Why a report could not be built; every message names the file or value at fault.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    /// The folder does not exist or is not a folder.
    case notAFolder(String)
    /// The folder holds no `metrics.jsonl` (directly or in a strategy sub-folder), so there is nothing to report.
    case noMetrics(folder: String)
    /// The sweep folder holds no run folders (cells).
    case noCells(folder: String)
    /// A file exists but could not be read or parsed: the path, the line (0 when not line-based) and the reason.
    case corruptFile(path: String, line: Int, reason: String)
    /// A file could not be written.
    case writeFailed(path: String, reason: String)

    /// A sentence naming the path or value at fault.
    public var description: String {
        switch self {
        case .notAFolder(let path):
            "\(path) is not a folder"
        case .noMetrics(let folder):
            "\(folder) holds no metrics.jsonl (neither directly nor in a strategy sub-folder); is it a run folder?"
        case .noCells(let folder):
            "\(folder) holds no run folders (sub-folders with summary.json or metrics.jsonl); is it a sweep folder?"
        case .corruptFile(let path, let line, let reason):
            line > 0 ? "\(path), line \(line): \(reason)" : "\(path): \(reason)"
        case .writeFailed(let path, let reason):
            "could not write \(path): \(reason)"
        }
    }
}
