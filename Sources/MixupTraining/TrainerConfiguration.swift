import MixupData
import MixupTensor

/// How a ``Trainer`` runs: length, batching, seed, outputs.
public struct TrainerConfiguration {
    /// Number of epochs (passes over the labelled training set).
    public var epochs: Int
    /// Labelled samples per step.
    public var batchSize: Int
    /// Unlabelled samples per step for semi-supervised objectives (`nil`: same as ``batchSize``).
    public var unlabelledBatchSize: Int?
    /// Drop the short last batch of each epoch instead of training on it.
    public var dropLastBatch: Bool
    /// The seed of every random draw in the run (shuffling, mixing, dropout, augmentation).
    public var seed: UInt64
    /// A folder for `checkpoint.safetensors` and `metrics.jsonl`, or `nil` to write nothing.
    public var outputDirectory: String?
    /// Continue from `outputDirectory/checkpoint.safetensors` when it exists.
    public var resume: Bool
    /// How progress is shown.
    public var progress: ProgressStyle
    /// Batch augmentation applied to labelled (and unlabelled) inputs, e.g. random crops and flips.
    public var augmentation: (@Sendable (Tensor, inout SeededGenerator) -> Tensor)?
    /// Evaluate on the test set every this many epochs (and always after the last).
    public var evaluationInterval: Int
    /// Write `checkpoint.safetensors` every this many epochs, and always after the last one, when a run stops at
    /// ``maximumSteps`` and on an interrupt (default 1: every epoch). Runs of many tiny epochs (e.g. one step each)
    /// set it higher so that writing the checkpoint does not dominate; a resume continues from the last one written
    /// (and `metrics.jsonl` is cut back to it).
    public var checkpointInterval: Int
    /// Stop after this many optimizer steps in total (for smoke tests and benchmarks); `nil` for no limit. The
    /// learning-rate schedule still spans the configured epochs, so a resume after such a stop reproduces the
    /// uninterrupted run.
    public var maximumSteps: Int?
    /// What happens on SIGINT or SIGTERM (default: write a checkpoint and stop).
    public var interrupts: InterruptPolicy
    /// The per-sample shape the model expects (e.g. `[1, 28, 28]`); when set, every dataset is checked against it
    /// before training and a mismatch is an error naming both shapes.
    public var expectedSampleShape: [Int]?
    /// The most memory one step's input batch may take, in bytes (`nil`: half the machine's physical memory). Checked
    /// before anything is allocated.
    public var maximumBatchBytes: Int?

    /// Creates a configuration.
    public init(
        epochs: Int, batchSize: Int, unlabelledBatchSize: Int? = nil, dropLastBatch: Bool = false, seed: UInt64 = 0,
        outputDirectory: String? = nil, resume: Bool = false, progress: ProgressStyle = .automatic,
        augmentation: (@Sendable (Tensor, inout SeededGenerator) -> Tensor)? = nil, evaluationInterval: Int = 1,
        checkpointInterval: Int = 1, maximumSteps: Int? = nil, interrupts: InterruptPolicy = .checkpointAndStop,
        expectedSampleShape: [Int]? = nil,
        maximumBatchBytes: Int? = nil
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.unlabelledBatchSize = unlabelledBatchSize
        self.dropLastBatch = dropLastBatch
        self.seed = seed
        self.outputDirectory = outputDirectory
        self.resume = resume
        self.progress = progress
        self.augmentation = augmentation
        self.evaluationInterval = evaluationInterval
        self.checkpointInterval = checkpointInterval
        self.maximumSteps = maximumSteps
        self.interrupts = interrupts
        self.expectedSampleShape = expectedSampleShape
        self.maximumBatchBytes = maximumBatchBytes
    }

    /// Throws unless every setting is usable.
    func validate() throws(TrainingError) {
        guard epochs >= 1 else { throw .invalidConfiguration("epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw .invalidConfiguration("batch size must be at least 1, got \(batchSize)") }
        if let u = unlabelledBatchSize, u < 1 {
            throw .invalidConfiguration("unlabelled batch size must be at least 1, got \(u)")
        }
        guard evaluationInterval >= 1 else {
            throw .invalidConfiguration("evaluation interval must be at least 1, got \(evaluationInterval)")
        }
        guard checkpointInterval >= 1 else {
            throw .invalidConfiguration("checkpoint interval must be at least 1, got \(checkpointInterval)")
        }
        if let steps = maximumSteps, steps < 1 {
            throw .invalidConfiguration("maximum steps must be at least 1, got \(steps)")
        }
        if resume && outputDirectory == nil {
            throw .invalidConfiguration("--resume needs an output folder to find the checkpoint in")
        }
    }
}

/// How a run reports progress on standard error.
public enum ProgressStyle: Sendable {
    /// A live bar when standard error is a terminal, plain lines per epoch otherwise.
    case automatic
    /// Plain lines, one per epoch.
    case lines
    /// Nothing.
    case silent
}
