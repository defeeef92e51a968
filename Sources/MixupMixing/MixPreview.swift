import MixupNN
import MixupTensor

/// One drawn mix of a few samples, with everything needed to look at it: the samples at the mix point, every source's
/// contribution, the weight maps, the mixed result and the realised label weights — the first-class record of a mix
/// that `mixup preview` draws as an SVG grid, for users' own plots and logs.
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let preview = try MixPreview.draw(
///     try .cutMix(alpha: 1), model: model, input: images, labels: oneHot, using: &generator)
/// preview.sourceValues[1]      // the partners, [count] + sampleShape
/// preview.weightMap(source: 0) // where each mixed sample keeps its own pixels
/// preview.plan.sourceLabelWeights
/// ```
public struct MixPreview {
    /// The plan that mixed the samples (the identity plan when the regularizer did not mix).
    public let plan: MixPlan
    /// Where the samples were mixed (`nil` when the regularizer did not mix, e.g. ERM).
    public let point: MixPoint?
    /// The samples at the mix point before mixing, `[count] + sampleShape` (the inputs at ``MixPoint/input``).
    public let values: Tensor
    /// `values[sources[s].indices]` for every source of the plan: the originals first, then each partner set.
    public let sourceValues: [Tensor]
    /// The strategy's output, `[count] + sampleShape` (for a regularizer that keeps the clean batch: the mixed copy).
    public let mixed: Tensor
    /// The `[count, classes]` labels of the samples.
    public let labels: Tensor
    /// The targets of the mixed samples under the regularizer's label mixer.
    public let targets: MixedTargets
    /// The name of the regularizer that drew the plan.
    public let regularizerName: String

    /// Draws one mix of `input` with `regularizer`: the mix point is `point` when given, else the regularizer's
    /// selector's choice (the regularizer's probability and epoch limit are ignored: a preview always mixes unless the
    /// selector never does). The model runs in inference mode; nothing is trained and no gradient is kept.
    ///
    /// - Parameters:
    ///   - regularizer: the strategy, selector and label mixer to preview.
    ///   - model: the network, for hidden mix points and data-aware strategies (e.g. SaliencyMix's saliency).
    ///   - input: `[count, ...]` model inputs.
    ///   - labels: `[count, classes]` targets.
    ///   - point: the name of the mix point, or `nil` for the selector's choice.
    ///   - generator: the source of every random draw.
    /// - Throws: ``MixingError`` from the selector, strategy or label mixer, or naming an unknown point.
    public static func draw(
        _ regularizer: Regularizer, model: any MixableModel, input: Tensor, labels: Tensor, at point: String? = nil,
        using generator: inout some RandomNumberGenerator
    ) throws(MixingError) -> MixPreview {
        let count = input.shape.first ?? 0
        try MixingValidation.checkNonEmpty(batchSize: count)
        guard labels.rank == 2, labels.shape[0] == count else {
            throw .shapeMismatch(what: "labels", shape: labels.shape, expected: "[\(count), classes]")
        }
        let chosen: MixPoint?
        if let point {
            chosen = try model.mixPoint(named: point)
        } else {
            chosen = try regularizer.selector.select(from: model.mixPoints, using: &generator)
        }
        var context = ForwardContext.inference
        let values = withoutGradients { model.forward(input, from: .input, to: chosen ?? .input, context: &context) }
        let plan: MixPlan
        let mixed: Tensor
        if let chosen {
            plan = try regularizer.strategy.plan(
                for: MixingBatch(values: values, labels: labels, point: chosen, input: input, model: model),
                using: &generator)
            // `values` carries no gradient graph, so neither does the mix.
            mixed = try regularizer.strategy.apply(plan, to: values)
        } else {
            plan = .identity(batchSize: count)
            mixed = values
        }
        return MixPreview(
            plan: plan, point: chosen, values: values,
            sourceValues: plan.sources.map { values.gathering(rows: $0.indices) },
            mixed: mixed.detached(), labels: labels.detached(),
            targets: try regularizer.labelMixer.targets(for: plan, labels: labels), regularizerName: regularizer.name)
    }

    /// The number of samples.
    public var count: Int { plan.batchSize }
    /// The shape of one sample at the mix point.
    public var sampleShape: [Int] { Array(values.shape.dropFirst()) }

    /// The weight of source `source` over each sample, expanded to `[count] + sampleShape` (a per-sample λ fills the
    /// sample, a pixel mask is repeated over channels, a broadcast weight is broadcast).
    public func weightMap(source: Int) -> Tensor {
        let weights = plan.sources[source].weights
        let shape = weights.sampleShape
        let full = sampleShape
        let perSample = full.reduce(1, *)
        let compact: [Int] =
            switch weights {
            case .perSample: Array(repeating: 1, count: full.count)
            case .mask: [1] + Array(full.dropFirst())
            case .broadcast: shape
            }
        let compactCount = compact.reduce(1, *)
        let values = weights.values
        var result = [Float](repeating: 0, count: count * perSample)
        for k in 0..<(count * perSample) {
            let (i, element) = (k / perSample, k % perSample)
            // The compact index of this element: each axis where the weight has extent 1 is dropped.
            var remainder = element
            var stride = perSample
            var index = 0
            var compactStride = compactCount
            for axis in 0..<full.count {
                stride /= full[axis]
                compactStride /= compact[axis]
                let coordinate = remainder / stride
                remainder %= stride
                if compact[axis] != 1 { index += coordinate * compactStride }
            }
            result[k] = values[i * compactCount + index]
        }
        return Tensor(shape: [count] + full, scalars: result)
    }
}
