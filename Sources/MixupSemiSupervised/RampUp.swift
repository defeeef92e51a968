import Foundation

/// The sigmoid-shaped ramp-up of Laine & Aila (2017) used by Mean Teacher, ICT and MixMatch-style consistency
/// weights: w(t) = w_max · exp(−5 (1 − t/T)²) for t < T, and w_max afterwards.
public struct SigmoidRampUp: Sendable, Equatable {
    /// The final weight w_max.
    public let maximum: Double
    /// The ramp length T in steps.
    public let length: Int

    /// Creates a ramp.
    ///
    /// - Precondition: `maximum ≥ 0` and `length ≥ 0`.
    public init(maximum: Double, length: Int) {
        precondition(maximum >= 0 && maximum.isFinite, "SigmoidRampUp: maximum must be non-negative, got \(maximum)")
        precondition(length >= 0, "SigmoidRampUp: length must be non-negative, got \(length)")
        self.maximum = maximum
        self.length = length
    }

    /// The weight at step `step` (counting from 0).
    public func weight(atStep step: Int) -> Double {
        guard length > 0 else { return maximum }
        let t = min(max(Double(step) / Double(length), 0), 1)
        return maximum * Foundation.exp(-5 * (1 - t) * (1 - t))
    }
}
