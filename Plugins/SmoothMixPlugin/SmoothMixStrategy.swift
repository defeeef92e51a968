import Foundation
import MixupMixing
import MixupTensor

/// SmoothMix (Lee, Zaheer, Astrid & Lee, CVPR Workshops 2020, "SmoothMix: a Simple Yet Effective Data Augmentation to
/// Train Robust Classifiers"): the partner is blended in through a soft Gaussian blob instead of a hard-edged box.
///
/// Per sample, a centre (c_y, c_x) is drawn uniformly over the image and a spread σ = s·max(h, w) with
/// s ~ U(``spreadRange``); the partner's weight at pixel (y, x) is g = exp(−((y − c_y)² + (x − c_x)²) / (2σ²)), so the
/// original keeps 1 − g. **The label weight of the original is its realised pixel share, mean(1 − g)** — not the
/// partner's share mean(g), which at least one public implementation returns by mistake; a property test pins it.
public struct SmoothMixStrategy: MixingStrategy {
    /// The range of the blob spread s, as a fraction of the larger image side (σ = s·max(h, w)).
    public let spreadRange: ClosedRange<Double>
    /// How partners are chosen.
    public let pairing: Pairing

    /// Creates the strategy.
    ///
    /// - Throws: ``MixingError/invalidParameter(name:value:requirement:)`` unless 0 < lower ≤ upper and both finite.
    public init(spreadRange: ClosedRange<Double> = 0.25...0.5, pairing: Pairing = .permutation) throws(MixingError) {
        guard spreadRange.lowerBound > 0, spreadRange.upperBound.isFinite else {
            throw .invalidParameter(
                name: "SmoothMix spread range", value: "\(spreadRange)", requirement: "be positive and finite")
        }
        self.spreadRange = spreadRange
        self.pairing = pairing
    }

    public var name: String { "smoothmix" }

    public func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError)
        -> MixPlan
    {
        try MixingValidation.checkSpatial(sampleShape, strategy: "SmoothMix")
        try MixingValidation.checkNonEmpty(batchSize: batchSize)
        let (height, width) = (sampleShape[1], sampleShape[2])
        let pixels = height * width
        let partners = pairing.partners(batchSize: batchSize, using: &generator)
        var keep = [Float](repeating: 1, count: batchSize * pixels)
        var realised = [Float](repeating: 1, count: batchSize)
        for i in 0..<batchSize {
            let centreY = generator.nextUniform(0, Double(height))
            let centreX = generator.nextUniform(0, Double(width))
            let sigma =
                generator.nextUniform(spreadRange.lowerBound, spreadRange.upperBound)
                * Double(max(height, width))
            guard partners[i] != i else { continue }
            var total = 0.0
            for y in 0..<height {
                for x in 0..<width {
                    let (dy, dx) = (Double(y) + 0.5 - centreY, Double(x) + 0.5 - centreX)
                    let partnerWeight = Float(Foundation.exp(-(dy * dy + dx * dx) / (2 * sigma * sigma)))
                    let own = 1 - partnerWeight
                    keep[i * pixels + y * width + x] = own
                    total += Double(own)
                }
            }
            realised[i] = Float(total / Double(pixels))
        }
        return try MixPlan(
            partners: partners, weights: .mask(height: height, width: width, values: keep), labelWeights: realised)
    }
}

extension MixingStrategy where Self == SmoothMixStrategy {
    /// SmoothMix with blob spreads σ ∈ spreadRange·max(h, w).
    ///
    /// - Throws: ``MixingError`` for a range that is not positive.
    public static func smoothMix(spreadRange: ClosedRange<Double> = 0.25...0.5) throws(MixingError)
        -> SmoothMixStrategy
    {
        try SmoothMixStrategy(spreadRange: spreadRange)
    }
}

extension Regularizer {
    /// SmoothMix at the input (Lee et al. 2020), labels weighted by the original's realised pixel share.
    public static func smoothMix(spreadRange: ClosedRange<Double> = 0.25...0.5) throws(MixingError) -> Regularizer {
        try Regularizer(name: "smoothmix", strategy: SmoothMixStrategy.smoothMix(spreadRange: spreadRange))
    }
}
