import Foundation

/// The sigmoid-shaped ramp-up of Laine & Aila (2017) used by Mean Teacher, ICT and MixMatch-style consistency
/// weights: w(t) = w_max · exp(−5 (1 − t/T)²) for t < T, and w_max afterwards.
///
/// T is either a fixed number of steps or a fraction of the run, so a recipe's ramp scales with `--epochs`.
public struct SigmoidRampUp: Sendable, Equatable {
    /// The ramp length T.
    public enum Length: Sendable, Equatable {
        /// T in optimizer steps.
        case steps(Int)
        /// T as a fraction of the run's total steps, in [0, 1].
        case fractionOfRun(Double)
    }

    /// The final weight w_max.
    public let maximum: Double
    /// The ramp length T.
    public let rampLength: Length

    /// A ramp of `length` steps.
    ///
    /// - Precondition: `maximum ≥ 0` and `length ≥ 0`.
    public init(maximum: Double, length: Int) {
        precondition(length >= 0, "SigmoidRampUp: length must be non-negative, got \(length)")
        self.init(maximum: maximum, rampLength: .steps(length))
    }

    /// A ramp over `fraction` of the run.
    ///
    /// - Precondition: `maximum ≥ 0` and `fraction` ∈ [0, 1].
    public init(maximum: Double, fractionOfRun fraction: Double) {
        precondition(fraction >= 0 && fraction <= 1, "SigmoidRampUp: fraction must be in [0, 1], got \(fraction)")
        self.init(maximum: maximum, rampLength: .fractionOfRun(fraction))
    }

    private init(maximum: Double, rampLength: Length) {
        precondition(maximum >= 0 && maximum.isFinite, "SigmoidRampUp: maximum must be non-negative, got \(maximum)")
        self.maximum = maximum
        self.rampLength = rampLength
    }

    /// T in steps for a run of `totalSteps`.
    public func length(totalSteps: Int) -> Int {
        switch rampLength {
        case .steps(let steps): steps
        case .fractionOfRun(let fraction): Int((fraction * Double(totalSteps)).rounded())
        }
    }

    /// The weight at step `step` (counting from 0) of a run of `totalSteps` steps.
    public func weight(atStep step: Int, totalSteps: Int = 0) -> Double {
        let length = length(totalSteps: totalSteps)
        guard length > 0 else { return maximum }
        let t = min(max(Double(step) / Double(length), 0), 1)
        return maximum * Foundation.exp(-5 * (1 - t) * (1 - t))
    }
}
