/// Why a training run stopped early. Messages name the epoch, step and value.
public enum TrainingError: Error, CustomStringConvertible {
    /// The loss became NaN or infinite. The last good checkpoint (if any) is kept untouched.
    case nonFiniteLoss(epoch: Int, step: Int, value: Float, lastCheckpoint: String?)
    /// The user interrupted the run (Ctrl-C); a checkpoint was written at `checkpoint` if an output folder was set.
    case interrupted(epoch: Int, step: Int, checkpoint: String?)
    /// A checkpoint could not be read, written or applied.
    case checkpoint(String)
    /// The configuration or data cannot work (e.g. batch size 0, an unlabelled training set).
    case invalidConfiguration(String)
    /// A mixing plugin rejected its input.
    case mixing(String)

    public var description: String {
        switch self {
        case .nonFiniteLoss(let epoch, let step, let value, let checkpoint):
            return "loss became \(value) at epoch \(epoch + 1), step \(step); stopping. "
                + (checkpoint.map { "The last good checkpoint is kept at \($0)." } ?? "No checkpoint had been written.")
                + " Try a lower learning rate."
        case .interrupted(let epoch, let step, let checkpoint):
            return "interrupted at epoch \(epoch + 1), step \(step)"
                + (checkpoint.map { "; checkpoint saved to \($0) (continue with --resume)" } ?? "")
        case .checkpoint(let message): return "checkpoint: \(message)"
        case .invalidConfiguration(let message): return "invalid configuration: \(message)"
        case .mixing(let message): return "mixing: \(message)"
        }
    }
}
