/// The base rate, then a straight line down to 0 over the last `decayFraction` of the run — the schedule of many
/// semi-supervised MNIST setups (e.g. Adam 2e-3, linear decay over the last 30 % of steps).
///
/// With `totalSteps` T and decay start S = T·(1 − decayFraction) rounded: rate(step) = initial for step < S, and
/// initial · (T − step) / (T − S) afterwards (so the last step, T − 1, still moves a little).
public struct ConstantThenLinearDecay: LearningRateSchedule {
    /// The rate before the decay.
    public let initial: Float
    /// The fraction of the run, at its end, over which the rate falls to 0; in [0, 1].
    public let decayFraction: Double

    /// Creates the schedule.
    ///
    /// - Precondition: `decayFraction` ∈ [0, 1].
    public init(initial: Float, decayFraction: Double) {
        precondition(
            decayFraction >= 0 && decayFraction <= 1,
            "ConstantThenLinearDecay: decayFraction must be in [0, 1], got \(decayFraction)")
        self.initial = initial
        self.decayFraction = decayFraction
    }

    public func learningRate(atStep step: Int, totalSteps: Int) -> Float {
        let decayStart = Int((Double(totalSteps) * (1 - decayFraction)).rounded())
        guard step >= decayStart, totalSteps > decayStart else { return initial }
        let remaining = Float(max(totalSteps - step, 0)) / Float(totalSteps - decayStart)
        return initial * remaining
    }
}
