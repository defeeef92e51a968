import MixupTensor

/// One step's data as an objective sees it.
public struct TrainingBatch {
    /// `[batch] + sampleShape` labelled inputs (augmented if the run augments).
    public let inputs: Tensor
    /// The class of each labelled input (empty for a regression batch).
    public let labels: [Int]
    /// `[batch, classes]` one-hot targets of `labels`, or a regression batch's numeric targets `[batch, outputs]`.
    public let targets: Tensor
    /// `[unlabelledBatch] + sampleShape` unlabelled inputs for semi-supervised objectives, or `nil`.
    public let unlabelled: Tensor?
    /// The epoch (from 0), the step within it (from 0) and the global step (from 0).
    public let epoch: Int, stepInEpoch: Int, globalStep: Int
    /// The run's total number of optimizer steps (for ramp-ups).
    public let totalSteps: Int

    /// Creates a batch.
    public init(
        inputs: Tensor, labels: [Int], classCount: Int, unlabelled: Tensor?, epoch: Int, stepInEpoch: Int,
        globalStep: Int,
        totalSteps: Int
    ) {
        self.inputs = inputs
        self.labels = labels
        self.targets = .oneHot(labels, classCount: classCount)
        self.unlabelled = unlabelled
        self.epoch = epoch
        self.stepInEpoch = stepInEpoch
        self.globalStep = globalStep
        self.totalSteps = totalSteps
    }

    /// Creates a regression batch: numeric `targets` `[batch, outputs]`, no class labels.
    public init(
        inputs: Tensor, regressionTargets targets: Tensor, unlabelled: Tensor?, epoch: Int, stepInEpoch: Int,
        globalStep: Int, totalSteps: Int
    ) {
        self.inputs = inputs
        self.labels = []
        self.targets = targets
        self.unlabelled = unlabelled
        self.epoch = epoch
        self.stepInEpoch = stepInEpoch
        self.globalStep = globalStep
        self.totalSteps = totalSteps
    }
}
