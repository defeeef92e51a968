import Foundation
import MixupFormats
import MixupMixing
import MixupNN

/// Why a training run stopped early or could not start. Each case carries the offending values, and the message
/// names them (the epoch and step, the file, the parameter, both shapes, …).
public enum TrainingError: Error, CustomStringConvertible {
    /// The loss became NaN or infinite. The last good checkpoint (if any) is kept untouched.
    case nonFiniteLoss(epoch: Int, step: Int, value: Float, lastCheckpoint: String?)
    /// A parameter (or its gradient) became NaN or infinite even though the loss was finite (e.g. NaN inputs through
    /// an activation that maps NaN to a number). Nothing was written; the last good checkpoint (if any) is kept.
    case nonFiniteParameter(name: String, epoch: Int, step: Int, lastCheckpoint: String?)
    /// The run was interrupted by `signal` (SIGINT or SIGTERM); a checkpoint was written at `checkpoint` if an output
    /// folder was set.
    case interrupted(epoch: Int, step: Int, signal: Int32, checkpoint: String?)
    /// A checkpoint could not be read, written or applied (`path` when known, what was wrong).
    case checkpoint(String)
    /// `--resume` found a checkpoint written by a different run: `field` differs (checkpoint's and this run's value).
    case checkpointMismatch(path: String, field: String, checkpoint: String, run: String)
    /// A checkpoint holds a NaN or infinite value in `tensor`; it is not loaded.
    case nonFiniteCheckpoint(path: String, tensor: String)
    /// The checkpoint's optimizer state does not fit the optimizer (wraps the optimizer's own error).
    case optimizerState(path: String, OptimizerStateError)
    /// The configuration or data cannot work (e.g. batch size 0, an unlabelled training set).
    case invalidConfiguration(String)
    /// A size derived from the configuration does not fit in an integer (e.g. epochs × steps per epoch).
    case sizeOverflow(quantity: String, operands: [Int])
    /// One step's batch would need more memory than allowed (estimate and limit in bytes).
    case batchTooLarge(estimatedBytes: Int, limitBytes: Int, batchSize: Int, sampleShape: [Int])
    /// The data's per-sample shape is not the one the model expects.
    case sampleShapeMismatch(dataset: String, expected: [Int], found: [Int])
    /// A mixing plugin rejected its input (the plugin's own error).
    case mixing(MixingError)

    public var description: String {
        switch self {
        case .nonFiniteLoss(let epoch, let step, let value, let checkpoint):
            return "loss became \(value) at epoch \(epoch + 1), step \(step); stopping. "
                + Self.kept(checkpoint) + " Try a lower learning rate."
        case .nonFiniteParameter(let name, let epoch, let step, let checkpoint):
            return "parameter \(name) became non-finite (NaN or infinite) at epoch \(epoch + 1), step \(step); "
                + "stopping without writing it. " + Self.kept(checkpoint)
                + " Check the data for NaN or infinite values, or lower the learning rate."
        case .interrupted(let epoch, let step, let signal, let checkpoint):
            return "interrupted by \(Self.signalName(signal)) at epoch \(epoch + 1), step \(step)"
                + (checkpoint.map { "; checkpoint saved to \($0) (continue with --resume)" } ?? "")
        case .checkpoint(let message): return "checkpoint: \(message)"
        case .checkpointMismatch(let path, let field, let saved, let run):
            return "checkpoint: \(path) was written with \(field) \(saved), but this run has \(field) \(run); "
                + "use the same settings to resume, or another --out folder"
        case .nonFiniteCheckpoint(let path, let tensor):
            return "checkpoint: \(path) holds non-finite values in \(tensor); refusing to resume from it"
        case .optimizerState(let path, let error):
            return "checkpoint: \(path): \(error.description)"
        case .invalidConfiguration(let message): return "invalid configuration: \(message)"
        case .sizeOverflow(let quantity, let operands):
            return
                "invalid configuration: \(quantity) overflows (\(operands.map(String.init).joined(separator: " × ")))"
        case .batchTooLarge(let estimate, let limit, let batchSize, let shape):
            return "invalid configuration: a step with batch size \(batchSize) of samples \(shape) needs about "
                + "\(Self.bytes(estimate)), more than the limit of \(Self.bytes(limit)); use a smaller --batch-size"
        case .sampleShapeMismatch(let dataset, let expected, let found):
            return "\(dataset) has samples of shape \(found), but the model expects \(expected)"
        case .mixing(let error): return "mixing: \(error.description)"
        }
    }

    private static func kept(_ checkpoint: String?) -> String {
        checkpoint.map { "The last good checkpoint is kept at \($0)." } ?? "No checkpoint had been written."
    }

    static func signalName(_ number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(number)"
        }
    }

    static func bytes(_ count: Int) -> String {
        let gib = Double(count) / 1_073_741_824
        return gib >= 1 ? "\(count) bytes (\((gib * 10).rounded() / 10) GiB)" : "\(count) bytes"
    }
}
