import Foundation

/// A weight that ramps up from 0 to `maximum` over the first T steps of a run and stays there: the schedule of
/// every consistency and unlabelled-loss weight (Mean Teacher, ICT, MixMatch, pseudo-labels, VAT, entropy).
///
/// Two shapes: ``Shape/sigmoid``, Laine & Aila's (2017) w(t) = w_max · exp(−5 (1 − t/T)²), and ``Shape/linear``,
/// w(t) = w_max · t/T. T is either a fixed number of steps or a fraction of the run, so a recipe's ramp scales with
/// `--epochs`.
public struct RampUp: Sendable, Equatable {
    /// The ramp length T.
    public enum Length: Sendable, Equatable {
        /// T in optimizer steps.
        case steps(Int)
        /// T as a fraction of the run's total steps, in [0, 1].
        case fractionOfRun(Double)
    }

    /// How the weight rises over the ramp.
    public enum Shape: String, Sendable, Equatable, CaseIterable {
        /// exp(−5 (1 − t/T)²): starts at e⁻⁵ ≈ 0.7 % of the maximum and rises smoothly (Laine & Aila 2017).
        case sigmoid
        /// t/T: from 0 to the maximum in a straight line.
        case linear
    }

    /// The final weight w_max.
    public let maximum: Double
    /// The ramp length T.
    public let rampLength: Length
    /// The ramp's shape.
    public let shape: Shape

    /// A ramp of `length` steps.
    ///
    /// - Precondition: `maximum ≥ 0` and `length ≥ 0`.
    public init(maximum: Double, length: Int, shape: Shape = .sigmoid) {
        precondition(length >= 0, "RampUp: length must be non-negative, got \(length)")
        self.init(maximum: maximum, rampLength: .steps(length), shape: shape)
    }

    /// A ramp over `fraction` of the run.
    ///
    /// - Precondition: `maximum ≥ 0` and `fraction` ∈ [0, 1].
    public init(maximum: Double, fractionOfRun fraction: Double, shape: Shape = .sigmoid) {
        precondition(fraction >= 0 && fraction <= 1, "RampUp: fraction must be in [0, 1], got \(fraction)")
        self.init(maximum: maximum, rampLength: .fractionOfRun(fraction), shape: shape)
    }

    private init(maximum: Double, rampLength: Length, shape: Shape) {
        precondition(maximum >= 0 && maximum.isFinite, "RampUp: maximum must be non-negative, got \(maximum)")
        self.maximum = maximum
        self.rampLength = rampLength
        self.shape = shape
    }

    /// A constant weight (no ramp).
    public static func constant(_ weight: Double) -> RampUp { RampUp(maximum: weight, length: 0) }

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
        switch shape {
        case .sigmoid: return maximum * Foundation.exp(-5 * (1 - t) * (1 - t))
        case .linear: return maximum * t
        }
    }
}

/// The former name of ``RampUp`` (whose default shape is this sigmoid-shaped ramp).
public typealias SigmoidRampUp = RampUp
