import MixupMixing
import MixupTensor

/// Named points of the training loop that recipes extend instead of forking the loop.
///
/// Each hook is a list of closures called in order. Recipes append to them:
/// `trainer.hooks.epochEnd.append { report in … }`.
public struct TrainingHooks {
    /// Before a batch is processed.
    public var batchStart: [(TrainingBatch) -> Void] = []
    /// After the objective mixed a batch (the mix point, or `nil` when the batch was not mixed).
    public var mix: [(TrainingBatch, MixPoint?) -> Void] = []
    /// After the loss is computed, before back-propagation (the loss value).
    public var loss: [(TrainingBatch, Float) -> Void] = []
    /// After the optimizer step (global step count so far).
    public var step: [(Int) -> Void] = []
    /// After an epoch, with its report.
    public var epochEnd: [(EpochReport) -> Void] = []

    /// Creates empty hooks.
    public init() {}
}

/// What happened in one epoch.
public struct EpochReport: Sendable, Codable, Equatable {
    /// The epoch, counting from 1.
    public let epoch: Int
    /// Mean training loss over the epoch's steps.
    public let trainLoss: Double
    /// Training accuracy against the dominant class of each training target (the label itself when not mixed).
    public let trainAccuracy: Double
    /// The test evaluation, when one was run on a classification test set.
    public let test: Evaluation?
    /// The test evaluation, when one was run on a regression test set (``Dataset/isRegression``).
    public let regressionTest: RegressionEvaluation?
    /// The learning rate of the last step.
    public let learningRate: Double
    /// Training throughput in samples per second.
    public let samplesPerSecond: Double
    /// Wall-clock seconds since the run (or resume) started.
    public let elapsedSeconds: Double
    /// Objective-specific means (e.g. consistency loss).
    public let extra: [String: Double]
}
