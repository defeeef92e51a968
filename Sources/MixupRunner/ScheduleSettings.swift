import MixupKit

/// The learning-rate schedule of a recipe: a function of the optimizer's base rate. The built-ins are static helpers
/// (`.cosine`, `.multiStep([0.5, 0.75])`, …); any ``LearningRateSchedule`` value goes in with ``schedule(_:)``, and
/// one built from the base rate with ``custom(_:)``.
///
/// ```swift
/// schedule: .schedule(StepDecay(initial: 0.1, stepSize: 1000, factor: 0.5))
/// ```
/// Schedules receive the run's total steps at every call (``LearningRateSchedule/learningRate(atStep:totalSteps:)``),
/// derived once by the trainer; `--steps` does not change it.
public struct ScheduleSettings: Sendable {
    /// Builds the schedule for base rate `rate`.
    public var make: @Sendable (_ rate: Float) -> any LearningRateSchedule

    /// Settings from a builder.
    public init(make: @escaping @Sendable (_ rate: Float) -> any LearningRateSchedule) { self.make = make }

    /// The schedule for base rate `rate`.
    public func make(rate: Float) -> any LearningRateSchedule { make(rate) }

    /// A fixed schedule (its own rates; the optimizer's base rate is not used).
    public static func schedule(_ schedule: some LearningRateSchedule) -> ScheduleSettings {
        ScheduleSettings { _ in schedule }
    }

    /// A schedule built from the optimizer's base rate.
    public static func custom(_ make: @escaping @Sendable (_ rate: Float) -> any LearningRateSchedule)
        -> ScheduleSettings
    {
        ScheduleSettings(make: make)
    }

    /// The base rate throughout.
    public static var constant: ScheduleSettings { ScheduleSettings { ConstantLearningRate($0) } }

    /// Cosine decay to zero over the run.
    public static var cosine: ScheduleSettings { ScheduleSettings { CosineDecay(initial: $0) } }

    /// ×0.1 at each fraction of the run (e.g. [0.5, 0.75], the Mixup paper's epochs 100 and 150 of 200).
    public static func multiStep(_ fractions: [Double]) -> ScheduleSettings {
        ScheduleSettings { FractionalMultiStepDecay(initial: $0, fractions: fractions) }
    }

    /// Linear warm-up over the first `steps`, then cosine decay.
    public static func warmupCosine(steps: Int) -> ScheduleSettings {
        ScheduleSettings { LinearWarmup(CosineDecay(initial: $0), warmupSteps: steps) }
    }
}

/// ×`factor` at each fraction of the run's total steps (milestones follow the run's length).
struct FractionalMultiStepDecay: LearningRateSchedule {
    let initial: Float, fractions: [Double], factor: Float

    init(initial: Float, fractions: [Double], factor: Float = 0.1) {
        self.initial = initial
        self.fractions = fractions
        self.factor = factor
    }

    func learningRate(atStep step: Int, totalSteps: Int) -> Float {
        MultiStepDecay(initial: initial, milestones: fractions.map { Int($0 * Double(totalSteps)) }, factor: factor)
            .learningRate(atStep: step, totalSteps: totalSteps)
    }
}
