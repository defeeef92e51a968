/// A mixing setting or input that cannot work. Each case is one family of errors; its ``description`` names the
/// offending value.
///
/// Match on the case to react to a family (`catch MixingError.unknownMixPoint(let name, _)`), print the description
/// for people. Users' own strategies, selectors and label mixers throw these cases too, or ``other(_:)`` for anything
/// that fits none of them.
public enum MixingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A parameter outside its domain: `name` must satisfy `requirement` but was `value` (α ≤ 0, a probability of 2,
    /// a negative epoch, an empty candidate list, …).
    case invalidParameter(name: String, value: String, requirement: String)
    /// Options that are valid alone but not together (e.g. per-pair λ with an asymmetric pairing).
    case incompatibleOptions(String)
    /// A batch with no samples.
    case emptyBatch
    /// A ``MixPlan`` whose parts disagree (counts, index ranges, weights outside [0, 1] or not summing to 1).
    case invalidPlan(String)
    /// A tensor whose shape does not fit: `what` had shape `shape`, `expected` describes what would fit.
    case shapeMismatch(what: String, shape: [Int], expected: String)
    /// A strategy that cannot work on samples of `sampleShape` (e.g. a spatial strategy on `[features]`).
    case unsupportedSampleShape(strategy: String, sampleShape: [Int], expected: String)
    /// A mix point name the model does not have, with the names it does have.
    case unknownMixPoint(name: String, eligible: [String])
    /// A plan given to a strategy that did not draw it (its payload is missing or of another strategy).
    case planMismatch(strategy: String, reason: String)
    /// A data-aware strategy asked for a plan without the batch it mixes.
    case needsBatchData(strategy: String)
    /// A strategy's `apply` returned a tensor with no gradient path although its input had one (it computed on
    /// `scalars` and rewrapped them); gradients would silently stop at the mix point. Define the computation with
    /// differentiable tensor operations or `Tensor.differentiable(shape:scalars:inputs:)`.
    case noGradientPath(strategy: String, point: String)
    /// Anything else, described in words.
    case other(String)

    /// An error described in words (``other(_:)``), for source compatibility and for users' own checks.
    public init(_ description: String) { self = .other(description) }

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let requirement): "\(name) must \(requirement), got \(value)"
        case .incompatibleOptions(let message): message
        case .emptyBatch: "cannot mix an empty batch"
        case .invalidPlan(let message): "invalid mix plan: \(message)"
        case .shapeMismatch(let what, let shape, let expected): "\(what) has shape \(shape); expected \(expected)"
        case .unsupportedSampleShape(let strategy, let sampleShape, let expected):
            "\(strategy) needs \(expected), got per-sample shape \(sampleShape)"
        case .unknownMixPoint(let name, let eligible): "mix point \"\(name)\" does not exist; eligible: \(eligible)"
        case .planMismatch(let strategy, let reason): "\(strategy) cannot apply this plan: \(reason)"
        case .needsBatchData(let strategy):
            "\(strategy) is data-aware: draw its plan with plan(for:using:) and the batch, not from a shape alone"
        case .noGradientPath(let strategy, let point):
            "\(strategy).apply at \(point) returned a tensor with no gradient path although its input had one; "
                + "gradients would stop at the mix point (build the result from differentiable ops or "
                + "Tensor.differentiable(shape:scalars:inputs:))"
        case .other(let message): message
        }
    }
}

/// Validation helpers shared by strategies, selectors and plugins.
public enum MixingValidation {
    /// Throws unless `alpha` is positive and finite (a Beta(α, α) concentration).
    ///
    /// - Throws: ``MixingError/invalidParameter(name:value:requirement:)``.
    public static func checkConcentration(_ alpha: Double, _ name: String = "alpha") throws(MixingError) {
        guard alpha > 0 && alpha.isFinite else {
            throw .invalidParameter(name: name, value: "\(alpha)", requirement: "be positive and finite")
        }
    }

    /// Throws unless `p` is a probability in [0, 1].
    ///
    /// - Throws: ``MixingError/invalidParameter(name:value:requirement:)``.
    public static func checkProbability(_ p: Double, _ name: String = "probability") throws(MixingError) {
        guard p >= 0 && p <= 1 else { throw .invalidParameter(name: name, value: "\(p)", requirement: "be in [0, 1]") }
    }

    /// Throws unless the per-sample shape is `[channels, height, width]` (a spatial tensor).
    ///
    /// - Throws: ``MixingError/unsupportedSampleShape(strategy:sampleShape:expected:)``.
    public static func checkSpatial(_ sampleShape: [Int], strategy: String) throws(MixingError) {
        guard sampleShape.count == 3, sampleShape.allSatisfy({ $0 > 0 }) else {
            throw .unsupportedSampleShape(
                strategy: strategy, sampleShape: sampleShape, expected: "spatial samples [channels, height, width]")
        }
    }

    /// Throws unless the batch has at least one sample.
    ///
    /// - Throws: ``MixingError/emptyBatch``.
    public static func checkNonEmpty(batchSize: Int) throws(MixingError) {
        guard batchSize >= 1 else { throw .emptyBatch }
    }
}
