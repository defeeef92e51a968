import MixupMixing
import MixupTensor

/// CutMix (Yun et al., ICCV 2019, "CutMix: Regularization Strategy to Train Strong Classifiers with Localizable
/// Features"): a box of the partner is pasted into each sample.
///
/// The box side is √(1 − λ)·size with a uniformly drawn centre, clipped to the image; the label weight is then
/// recomputed from the *realised* area (timm's `correct_lam`, always on here), so targets match pixels exactly.
/// Works on any `[batch, channels, height, width]` tensor — at the input or on hidden feature maps.
public struct CutMixStrategy: MixingStrategy {
    /// The distribution of the drawn λ (which sets the box size).
    public let distribution: MixWeightDistribution
    /// When set, box sides are drawn uniformly in this range of fractions of the image sides instead of from λ
    /// (timm's `cutmix_minmax`).
    public let boxFractionRange: ClosedRange<Double>?
    /// One box for the whole batch (`.perBatch`, the paper) or one per sample (`.perSample`).
    public let granularity: LambdaGranularity
    /// How partners are chosen.
    public let pairing: Pairing

    /// Creates the strategy.
    ///
    /// - Throws: ``MixingError`` if the box range is not within [0, 1] or per-pair granularity meets an asymmetric
    ///   pairing.
    public init(
        distribution: MixWeightDistribution, boxFractionRange: ClosedRange<Double>? = nil,
        granularity: LambdaGranularity = .perBatch, pairing: Pairing = .permutation
    ) throws(MixingError) {
        if let range = boxFractionRange, range.lowerBound < 0 || range.upperBound > 1 {
            throw .invalidParameter(
                name: "CutMix box fraction range", value: "\(range)", requirement: "be within [0, 1]")
        }
        if granularity == .perPair && !pairing.isSymmetric {
            throw .incompatibleOptions(
                "per-pair boxes need a symmetric pairing (.randomPairs or .reversed), got \(pairing)")
        }
        self.distribution = distribution
        self.boxFractionRange = boxFractionRange
        self.granularity = granularity
        self.pairing = pairing
    }

    public var name: String { "cutmix" }

    /// A box `[top, bottom) × [left, right)` for an image of `height × width`.
    struct Box {
        var top, bottom, left, right: Int
        var area: Int { (bottom - top) * (right - left) }
    }

    func drawBox(height: Int, width: Int, using generator: inout some RandomNumberGenerator) -> Box {
        var cutHeight: Int
        var cutWidth: Int
        if let range = boxFractionRange {
            cutHeight = Int(generator.nextUniform(range.lowerBound, range.upperBound) * Double(height))
            cutWidth = Int(generator.nextUniform(range.lowerBound, range.upperBound) * Double(width))
        } else {
            let ratio = (1 - distribution.sample(using: &generator)).squareRoot()
            cutHeight = Int(Double(height) * ratio)
            cutWidth = Int(Double(width) * ratio)
        }
        let centreY = generator.nextIndex(below: height)
        let centreX = generator.nextIndex(below: width)
        return Box(
            top: min(max(centreY - cutHeight / 2, 0), height), bottom: min(max(centreY + cutHeight / 2, 0), height),
            left: min(max(centreX - cutWidth / 2, 0), width), right: min(max(centreX + cutWidth / 2, 0), width))
    }

    public func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError)
        -> MixPlan
    {
        try MixingValidation.checkSpatial(sampleShape, strategy: "CutMix")
        try MixingValidation.checkNonEmpty(batchSize: batchSize)
        let (height, width) = (sampleShape[1], sampleShape[2])
        let partners = pairing.partners(batchSize: batchSize, using: &generator)
        var boxes = [Box](repeating: Box(top: 0, bottom: 0, left: 0, right: 0), count: batchSize)
        switch granularity {
        case .perBatch:
            let box = drawBox(height: height, width: width, using: &generator)
            for i in 0..<batchSize { boxes[i] = box }
        case .perSample:
            for i in 0..<batchSize { boxes[i] = drawBox(height: height, width: width, using: &generator) }
        case .perPair:
            var drawn = [Bool](repeating: false, count: batchSize)
            for i in 0..<batchSize where !drawn[i] {
                let box = drawBox(height: height, width: width, using: &generator)
                boxes[i] = box
                boxes[partners[i]] = box
                drawn[i] = true
                drawn[partners[i]] = true
            }
        }
        var mask = [Float](repeating: 1, count: batchSize * height * width)
        var realised = [Float](repeating: 1, count: batchSize)
        for i in 0..<batchSize where partners[i] != i {
            let box = boxes[i]
            for y in box.top..<box.bottom {
                for x in box.left..<box.right { mask[(i * height + y) * width + x] = 0 }
            }
            // The kept-pixel count over the pixel count, computed exactly (1 − area/pixels can be off by an ulp).
            realised[i] = Float(height * width - box.area) / Float(height * width)
        }
        return try MixPlan(
            partners: partners, weights: .mask(height: height, width: width, values: mask), labelWeights: realised)
    }
}

extension MixingStrategy where Self == CutMixStrategy {
    /// CutMix with λ ~ Beta(α, α) setting the box size (the paper uses α = 1).
    ///
    /// - Throws: ``MixingError`` if α ≤ 0.
    public static func cutMix(alpha: Double, granularity: LambdaGranularity = .perBatch) throws(MixingError)
        -> CutMixStrategy
    {
        try CutMixStrategy(distribution: .beta(alpha: alpha), granularity: granularity)
    }
}

extension Regularizer {
    /// CutMix at the input (Yun et al. 2019), labels weighted by the realised box area.
    ///
    /// - Throws: ``MixingError`` if α ≤ 0.
    public static func cutMix(alpha: Double = 1, granularity: LambdaGranularity = .perBatch) throws(MixingError)
        -> Regularizer
    {
        try Regularizer(name: "cutmix", strategy: CutMixStrategy.cutMix(alpha: alpha, granularity: granularity))
    }
}
