/// Where a ``Trainer`` sends progress and notes, so a host (a GUI, a test, a log collector) can replace the console
/// output. Library code never prints; the default is ``ConsoleTrainingReporter`` on standard error.
public protocol TrainingReporter: AnyObject {
    /// After every optimizer step, with the running figures of the epoch. Default: nothing.
    func stepFinished(_ progress: StepProgress)
    /// After every epoch, with its report. Default: nothing.
    func epochFinished(_ report: EpochReport, epochs: Int, label: String)
    /// A one-line note about the run (a resume, a removed temporary file, an explicit choice). Default: nothing.
    func note(_ message: String)
}

extension TrainingReporter {
    public func stepFinished(_ progress: StepProgress) {}
    public func epochFinished(_ report: EpochReport, epochs: Int, label: String) {}
    public func note(_ message: String) {}
}

/// The running figures of an epoch after one step.
public struct StepProgress: Sendable, Equatable {
    /// The trainer's label (e.g. the strategy name).
    public var label: String
    /// The epoch (from 1) and the run's epochs.
    public var epoch: Int, epochs: Int
    /// The step within the epoch (from 1) and the epoch's steps.
    public var step: Int, steps: Int
    /// Optimizer steps taken in the run so far, and the run's total.
    public var globalStep: Int, totalSteps: Int
    /// The epoch's mean training loss and training accuracy so far.
    public var loss: Double, accuracy: Double
    /// Throughput of the epoch so far, and the estimated seconds left in the run.
    public var samplesPerSecond: Double, secondsLeft: Double
}

/// A reporter that drops everything (quiet runs, tests).
public final class SilentTrainingReporter: TrainingReporter {
    /// Creates the reporter.
    public init() {}
}
