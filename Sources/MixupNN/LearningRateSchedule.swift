import Foundation

/// The learning rate as a function of training progress.
///
/// Schedules are evaluated by step (a step is one optimizer update); `totalSteps` is the run's length, which
/// cosine decay needs. Compose warm-up with any schedule through ``LinearWarmup``.
public protocol LearningRateSchedule: Sendable {
    /// The learning rate for update number `step` (counting from 0) of a run of `totalSteps` updates.
    func learningRate(atStep step: Int, totalSteps: Int) -> Float
}

/// A constant learning rate.
public struct ConstantLearningRate: LearningRateSchedule {
    /// The rate.
    public let rate: Float
    /// Creates the schedule.
    public init(_ rate: Float) { self.rate = rate }
    public func learningRate(atStep step: Int, totalSteps: Int) -> Float { rate }
}

/// Multiplies the rate by `factor` every `stepSize` steps.
public struct StepDecay: LearningRateSchedule {
    /// Initial rate, decay interval in steps, and decay factor.
    public let initial: Float, stepSize: Int, factor: Float
    /// Creates the schedule. - Precondition: `stepSize > 0`.
    public init(initial: Float, stepSize: Int, factor: Float = 0.1) {
        precondition(stepSize > 0, "StepDecay: stepSize must be positive, got \(stepSize)")
        self.initial = initial
        self.stepSize = stepSize
        self.factor = factor
    }
    public func learningRate(atStep step: Int, totalSteps: Int) -> Float {
        initial * Float(Foundation.pow(Double(factor), Double(step / stepSize)))
    }
}

/// Multiplies the rate by `factor` at each milestone step (e.g. epochs 100 and 150 of the Mixup paper, in steps).
public struct MultiStepDecay: LearningRateSchedule {
    /// Initial rate, milestone steps and decay factor.
    public let initial: Float, milestones: [Int], factor: Float
    /// Creates the schedule.
    public init(initial: Float, milestones: [Int], factor: Float = 0.1) {
        self.initial = initial
        self.milestones = milestones.sorted()
        self.factor = factor
    }
    public func learningRate(atStep step: Int, totalSteps: Int) -> Float {
        let passed = milestones.filter { step >= $0 }.count
        return initial * Float(Foundation.pow(Double(factor), Double(passed)))
    }
}

/// Cosine annealing from `initial` to `minimum` over the run (Loshchilov & Hutter 2017, without restarts).
public struct CosineDecay: LearningRateSchedule {
    /// Initial and final rates.
    public let initial: Float, minimum: Float
    /// Creates the schedule.
    public init(initial: Float, minimum: Float = 0) {
        self.initial = initial
        self.minimum = minimum
    }
    public func learningRate(atStep step: Int, totalSteps: Int) -> Float {
        guard totalSteps > 1 else { return initial }
        let progress = min(max(Double(step) / Double(totalSteps - 1), 0), 1)
        return minimum + (initial - minimum) * Float(0.5 * (1 + Foundation.cos(Double.pi * progress)))
    }
}

/// Linear warm-up from `initial·startFactor` for `warmupSteps` steps, then `schedule` (which sees steps counted from
/// the end of the warm-up).
public struct LinearWarmup<Base: LearningRateSchedule>: LearningRateSchedule {
    /// The schedule after warm-up.
    public let base: Base
    /// Length of the warm-up in steps.
    public let warmupSteps: Int
    /// Fraction of the base's first rate at step 0.
    public let startFactor: Float
    /// Creates the schedule.
    public init(_ base: Base, warmupSteps: Int, startFactor: Float = 0) {
        precondition(warmupSteps >= 0, "LinearWarmup: warmupSteps must be non-negative, got \(warmupSteps)")
        self.base = base
        self.warmupSteps = warmupSteps
        self.startFactor = startFactor
    }
    public func learningRate(atStep step: Int, totalSteps: Int) -> Float {
        let remaining = max(totalSteps - warmupSteps, 1)
        if step < warmupSteps {
            let target = base.learningRate(atStep: 0, totalSteps: remaining)
            // Step 0 is `startFactor` of the base's first rate; the ramp reaches it at step `warmupSteps`.
            let fraction = Float(step) / Float(warmupSteps)
            return target * (startFactor + (1 - startFactor) * fraction)
        }
        return base.learningRate(atStep: step - warmupSteps, totalSteps: remaining)
    }
}
