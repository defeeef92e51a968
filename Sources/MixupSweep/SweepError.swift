/// A sweep problem — a bad flag or value, an unreadable sweep folder, a process that could not start — with a message
/// that names the value.
public enum SweepError: Error, Equatable, CustomStringConvertible {
    /// A command-line or ``Sweep`` value is malformed, e.g. `--seeds 4-2`.
    case invalidArgument(String)
    /// A file of the sweep folder is missing or unreadable, e.g. `sweeps/mlp/sweep.json`.
    case unreadable(path: String, reason: String)
    /// A file could not be written.
    case unwritable(path: String, reason: String)
    /// A cell process or `sbatch` could not be started.
    case launchFailed(executable: String, reason: String)

    /// The message for the user.
    public var description: String {
        switch self {
        case .invalidArgument(let message): message
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .unwritable(let path, let reason): "cannot write \(path): \(reason)"
        case .launchFailed(let executable, let reason): "cannot start \(executable): \(reason)"
        }
    }
}
