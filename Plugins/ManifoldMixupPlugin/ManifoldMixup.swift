import InputMixupPlugin
import MixupMixing

extension Regularizer {
    /// Manifold Mixup (Verma et al., ICML 2019, "Manifold Mixup: Better Representations by Interpolating Hidden
    /// States"): once per batch draw k uniformly from the eligible mix points (by default every point the model
    /// exposes, e.g. {input, after stage 1, after stage 2}), run the network to k, interpolate the hidden states and
    /// the targets with λ ~ Beta(α, α), and finish the forward pass. Gradients flow into the layers before k.
    ///
    /// - Parameters:
    ///   - alpha: the Beta concentration (the paper uses 2.0 for most experiments).
    ///   - mixPoints: names of the candidate points (`nil`: all of the model's points, including the input).
    /// - Throws: ``MixingError`` if α ≤ 0 or `mixPoints` is empty.
    public static func manifoldMixup(
        alpha: Double = 2, mixPoints: [String]? = nil, granularity: LambdaGranularity = .perBatch
    ) throws(MixingError) -> Regularizer {
        if let mixPoints, mixPoints.isEmpty {
            throw .invalidParameter(name: "manifoldMixup's mixPoints", value: "[]", requirement: "not be empty")
        }
        return try Regularizer(
            name: "manifold-mixup", strategy: InterpolationStrategy.mixup(alpha: alpha, granularity: granularity),
            selector: try RandomLayerSelector(among: mixPoints))
    }
}
