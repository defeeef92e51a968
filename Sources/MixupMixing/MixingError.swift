/// A mixing setting or input that cannot work, with the offending value in the message.
public struct MixingError: Error, CustomStringConvertible, Equatable {
    /// What was wrong, naming the value.
    public let description: String
    /// Creates an error with a message.
    public init(_ description: String) { self.description = description }
}

/// Validation helpers shared by strategies, selectors and plugins.
public enum MixingValidation {
    /// Throws unless `alpha` is positive and finite (a Beta(α, α) concentration).
    public static func checkConcentration(_ alpha: Double, _ name: String = "alpha") throws(MixingError) {
        guard alpha > 0 && alpha.isFinite else {
            throw MixingError("\(name) must be positive and finite, got \(alpha)")
        }
    }

    /// Throws unless `p` is a probability in [0, 1].
    public static func checkProbability(_ p: Double, _ name: String = "probability") throws(MixingError) {
        guard p >= 0 && p <= 1 else { throw MixingError("\(name) must be in [0, 1], got \(p)") }
    }

    /// Throws unless the per-sample shape is `[channels, height, width]` (a spatial tensor).
    public static func checkSpatial(_ sampleShape: [Int], strategy: String) throws(MixingError) {
        guard sampleShape.count == 3, sampleShape.allSatisfy({ $0 > 0 }) else {
            throw MixingError(
                "\(strategy) needs spatial samples [channels, height, width], got per-sample shape \(sampleShape)")
        }
    }
}
