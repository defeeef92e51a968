import MixupTensor

/// How batches are combined: interpolation, box paste, masks, k-sample mixes, …
///
/// A strategy works in two phases so that one decision drives inputs, hidden states and labels alike:
/// 1. ``plan(batchSize:sampleShape:using:)`` (or, for data-aware strategies, ``plan(for:using:)``) draws a ``MixPlan``
///    (partners, λ, boxes or masks, an optional typed payload) from an injected generator, for samples of the shape
///    found at the chosen mix point;
/// 2. ``apply(_:to:)`` mixes a tensor by that plan with differentiable operations.
///
/// Strategies are small value types. Because the plan is drawn for the shape found at the mix point, any spatial
/// strategy also works on hidden feature maps (CutMix on `[batch, channels, h, w]` activations), and a per-feature
/// mask works on `[batch, features]` inputs and MLP hidden layers.
///
/// Conform in your own package with only the public API; your strategy is a peer of the built-in ones.
public protocol MixingStrategy: Sendable {
    /// A short name for logs and results, e.g. `"mixup"`, `"cutmix"`.
    var name: String { get }

    /// Draws a plan for `batchSize` samples whose per-sample shape (without the batch axis) is `sampleShape`.
    ///
    /// - Throws: ``MixingError`` when the strategy cannot work on that shape (e.g. a spatial strategy on `[features]`),
    ///   or ``MixingError/needsBatchData(strategy:)`` for a strategy that needs to see the data.
    func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator) throws(MixingError)
        -> MixPlan

    /// Draws a plan for `batch`, seeing its values (and labels, mix point and model, when known).
    ///
    /// Default: ``plan(batchSize:sampleShape:using:)`` with the batch's shape, so shape-only strategies implement
    /// only that. Data-aware strategies (saliency-guided boxes, …) implement this one.
    func plan(for batch: MixingBatch, using generator: inout some RandomNumberGenerator) throws(MixingError)
        -> MixPlan

    /// Mixes `x` (`[batchSize] + sampleShape`) by `plan`. Default: ``MixPlan/mix(_:)``, the weighted combination of the
    /// plan's sources; override for operations that are not a per-element blend (e.g. pasting a resized partner,
    /// using the plan's payload). The result must keep a gradient path to `x` — compute it with tensor operations or
    /// `Tensor.differentiable(shape:scalars:inputs:)`, never by rewrapping `scalars`.
    func apply(_ plan: MixPlan, to x: Tensor) throws(MixingError) -> Tensor
}

extension MixingStrategy {
    public func plan(for batch: MixingBatch, using generator: inout some RandomNumberGenerator) throws(MixingError)
        -> MixPlan
    {
        try plan(batchSize: batch.batchSize, sampleShape: batch.sampleShape, using: &generator)
    }

    public func apply(_ plan: MixPlan, to x: Tensor) throws(MixingError) -> Tensor {
        try plan.mix(x)
    }
}
