import MixupMixing
import MixupNN
import MixupTensor

/// SaliencyMix (Uddin, Monira, Shin, Chung & Bae, ICLR 2021, "SaliencyMix: A Saliency Guided Data Augmentation
/// Strategy for Better Regularization"): CutMix whose box is centred on the most salient pixel of the partner, so the
/// pasted patch carries the partner's object rather than background.
///
/// Saliency here is the **input-gradient magnitude of the current model** (not the paper's static fine-grained
/// saliency detector): for the tensor being mixed, Σ over channels of |∂ CE(model(x), y) / ∂x| per pixel, computed
/// at the mix point with MixupTensor's side-effect-free `gradient(at:of:)` (no parameter gradient changes, inference
/// mode), against the batch's labels (the model's own predictions when there are none). The model arrives with the
/// batch (``MixingBatch/model``, which ``Regularizer`` always sets); a ``Saliency/custom(_:)`` provider replaces it,
/// e.g. for drawing plans outside training.
///
/// Per batch one λ ~ Beta(α, α) sets the box side √(1 − λ)·size (CutMix's rule); per sample the box is centred on the
/// argmax of the partner's saliency map (the first pixel on a tie) and clipped to the image. The partner's pixels are
/// pasted at the same place, and the label weight of the original is its realised pixel share.
public struct SaliencyMixStrategy: MixingStrategy {
    /// Where the saliency maps come from.
    public enum Saliency: Sendable {
        /// The input-gradient magnitude of the batch's model (``MixingBatch/model``) at the mix point.
        case inputGradient
        /// A provider returning a non-negative `[batch, height, width]` map for the batch (the batch's own samples,
        /// not the partners'), e.g. a fixed model's input gradients or a static saliency detector.
        case custom(@Sendable (MixingBatch) throws(MixingError) -> Tensor)
    }

    /// The distribution of λ, which sets the box size.
    public let distribution: MixWeightDistribution
    /// How partners are chosen.
    public let pairing: Pairing
    /// Where saliency maps come from.
    public let saliency: Saliency

    /// Creates the strategy.
    public init(
        distribution: MixWeightDistribution, pairing: Pairing = .permutation, saliency: Saliency = .inputGradient
    ) {
        self.distribution = distribution
        self.pairing = pairing
        self.saliency = saliency
    }

    public var name: String { "saliencymix" }

    /// SaliencyMix is data-aware: it needs the batch.
    ///
    /// - Throws: always ``MixingError/needsBatchData(strategy:)``; draw plans with ``plan(for:using:)``.
    public func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError)
        -> MixPlan
    { throw .needsBatchData(strategy: "SaliencyMix") }

    /// Draws partners and λ, computes the saliency maps of the batch, and centres each sample's box on its partner's
    /// most salient pixel.
    ///
    /// - Throws: ``MixingError/unsupportedSampleShape(strategy:sampleShape:expected:)`` for non-spatial samples;
    ///   ``MixingError/other(_:)`` when input-gradient saliency has no model; ``MixingError/shapeMismatch(what:shape:expected:)``
    ///   when a custom map has the wrong shape.
    public func plan(for batch: MixingBatch, using generator: inout some RandomNumberGenerator) throws(MixingError)
        -> MixPlan
    {
        try MixingValidation.checkSpatial(batch.sampleShape, strategy: "SaliencyMix")
        try MixingValidation.checkNonEmpty(batchSize: batch.batchSize)
        let (count, height, width) = (batch.batchSize, batch.sampleShape[1], batch.sampleShape[2])
        let partners = pairing.partners(batchSize: count, using: &generator)
        let ratio = (1 - distribution.sample(using: &generator)).squareRoot()
        let (cutHeight, cutWidth) = (Int(Double(height) * ratio), Int(Double(width) * ratio))
        let maps = try saliencyMaps(of: batch)
        guard maps.shape == [count, height, width] else {
            throw .shapeMismatch(
                what: "SaliencyMix's saliency map", shape: maps.shape, expected: "[\(count), \(height), \(width)]")
        }
        let pixels = height * width
        var mask = [Float](repeating: 1, count: count * pixels)
        var realised = [Float](repeating: 1, count: count)
        for i in 0..<count where partners[i] != i {
            let map = maps.scalars[(partners[i] * pixels)..<((partners[i] + 1) * pixels)]
            var best = map.startIndex
            for k in map.indices where map[k] > map[best] { best = k }
            let (centreY, centreX) = ((best - map.startIndex) / width, (best - map.startIndex) % width)
            let top = min(max(centreY - cutHeight / 2, 0), height)
            let bottom = min(max(centreY + cutHeight / 2, 0), height)
            let left = min(max(centreX - cutWidth / 2, 0), width)
            let right = min(max(centreX + cutWidth / 2, 0), width)
            for y in top..<bottom {
                for x in left..<right { mask[i * pixels + y * width + x] = 0 }
            }
            realised[i] = Float(pixels - (bottom - top) * (right - left)) / Float(pixels)
        }
        return try MixPlan(
            partners: partners, weights: .mask(height: height, width: width, values: mask), labelWeights: realised)
    }

    /// The `[batch, height, width]` saliency maps of `batch`'s samples.
    func saliencyMaps(of batch: MixingBatch) throws(MixingError) -> Tensor {
        switch saliency {
        case .custom(let provider): return try provider(batch)
        case .inputGradient:
            guard let model = batch.model else {
                throw .other(
                    "SaliencyMix's input-gradient saliency needs the model being trained (MixingBatch.model), which "
                        + "this batch lacks; mix through a Regularizer or give a custom saliency provider")
            }
            return Self.inputGradientSaliency(of: model, values: batch.values, point: batch.point, labels: batch.labels)
        }
    }

    /// The input-gradient saliency of `values` (`[batch, channels, height, width]`, the tensor at `point`):
    /// Σ over channels of |∂ Σᵢ CE(model(valuesᵢ from `point`), labelsᵢ) / ∂ values|, `[batch, height, width]`.
    /// The model runs in inference mode and no parameter gradient changes. Without `labels`, each sample's target is
    /// the model's own predicted class.
    ///
    /// - Precondition: `values` has rank 4 and `labels`, when given, is `[batch, classes]`.
    public static func inputGradientSaliency(
        of model: any MixableModel, values: Tensor, point: MixPoint, labels: Tensor?
    ) -> Tensor {
        precondition(
            values.rank == 4, "inputGradientSaliency: values must be [batch, channels, h, w], got \(values.shape)")
        let plain = values.detached()
        var context = ForwardContext.inference
        let targets =
            labels?.detached()
            ?? withoutGradients {
                let logits = model.forward(plain, from: point, to: nil, context: &context)
                return Tensor.oneHot(logits.argmax(alongAxis: 1), classCount: logits.shape[1])
            }
        let batch = Float(values.shape[0])
        let g = gradient(at: plain) { x in
            softmaxCrossEntropy(logits: model.forward(x, from: point, to: nil, context: &context), softTargets: targets)
                * batch
        }
        return withoutGradients { g.abs().sum(alongAxes: [1]) }
    }
}

extension MixingStrategy where Self == SaliencyMixStrategy {
    /// SaliencyMix with λ ~ Beta(α, α) setting the box size and input-gradient saliency.
    ///
    /// - Throws: ``MixingError`` if α ≤ 0.
    public static func saliencyMix(alpha: Double) throws(MixingError) -> SaliencyMixStrategy {
        SaliencyMixStrategy(distribution: try .beta(alpha: alpha))
    }
}

extension Regularizer {
    /// SaliencyMix at the input (Uddin et al. 2021) with the current model's input-gradient saliency, labels weighted
    /// by the realised pixel share.
    ///
    /// - Throws: ``MixingError`` if α ≤ 0.
    public static func saliencyMix(alpha: Double = 1) throws(MixingError) -> Regularizer {
        try Regularizer(name: "saliencymix", strategy: SaliencyMixStrategy.saliencyMix(alpha: alpha))
    }
}
