import MixupTensor

/// How two batches are combined: interpolation, box paste, masks, …
///
/// A strategy works in two phases so that one decision drives inputs, hidden states and labels alike:
/// 1. ``plan(batchSize:sampleShape:using:)`` draws a ``MixPlan`` (partners, λ, boxes or masks) from an injected
///    generator, for samples of the given shape at the chosen mix point;
/// 2. ``apply(_:to:)`` mixes a tensor by that plan with differentiable operations.
///
/// Strategies are small value types. Because the plan is drawn for the shape found at the mix point, any spatial
/// strategy also works on hidden feature maps (CutMix on `[batch, channels, h, w]` activations).
///
/// Conform in your own package with only the public API; your strategy is a peer of the built-in ones.
public protocol MixingStrategy: Sendable {
    /// A short name for logs and results, e.g. `"mixup"`, `"cutmix"`.
    var name: String { get }

    /// Draws a plan for `batchSize` samples whose per-sample shape (without the batch axis) is `sampleShape`.
    ///
    /// - Throws: ``MixingError`` when the strategy cannot work on that shape (e.g. a spatial strategy on `[features]`).
    func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator) throws(MixingError)
        -> MixPlan

    /// Mixes `x` (`[batchSize] + sampleShape`) by `plan`. Default: ``MixPlan/mix(_:)``, the weighted combination with
    /// the partner batch; override for operations that are not a per-pixel blend (e.g. pasting a resized partner).
    func apply(_ plan: MixPlan, to x: Tensor) throws(MixingError) -> Tensor
}

extension MixingStrategy {
    public func apply(_ plan: MixPlan, to x: Tensor) throws(MixingError) -> Tensor {
        try plan.mix(x)
    }
}
