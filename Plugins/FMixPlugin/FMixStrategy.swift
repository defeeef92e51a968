import Foundation
import MixupMixing
import MixupTensor

/// FMix (Harris et al. 2020, "FMix: Enhancing Mixed Sample Data Augmentation"): binary masks cut from low-frequency
/// random images.
///
/// A complex Gaussian spectrum is scaled by 1 / f^δ (decay power δ), transformed back to an image, and its top
/// round(λ·h·w) pixels are kept from the original sample, so the mask mean equals λ up to one pixel — and the label
/// weight is that exact mean.
public struct FMixStrategy: MixingStrategy {
    /// The distribution of λ.
    public let distribution: MixWeightDistribution
    /// The decay power δ of the spectrum (the paper uses 3): larger means smoother, blobbier masks.
    public let decayPower: Double
    /// One mask for the whole batch (`.perBatch`, the paper) or one per sample (`.perSample`).
    public let granularity: LambdaGranularity
    /// How partners are chosen.
    public let pairing: Pairing

    /// Creates the strategy.
    ///
    /// - Throws: ``MixingError`` if δ ≤ 0 or granularity is `.perPair`.
    public init(
        distribution: MixWeightDistribution, decayPower: Double = 3, granularity: LambdaGranularity = .perBatch,
        pairing: Pairing = .permutation
    ) throws(MixingError) {
        guard decayPower > 0 && decayPower.isFinite else {
            throw .invalidParameter(
                name: "FMix decay power δ", value: "\(decayPower)", requirement: "be positive and finite")
        }
        guard granularity != .perPair else {
            throw .incompatibleOptions("FMix supports .perBatch or .perSample masks, not .perPair")
        }
        self.distribution = distribution
        self.decayPower = decayPower
        self.granularity = granularity
        self.pairing = pairing
    }

    public var name: String { "fmix" }

    /// A low-frequency grey image of `height × width`: the real part of the inverse DFT of a 1/f^δ-scaled Gaussian
    /// spectrum (computed separably, O(h·w·(h + w))).
    func lowFrequencyImage(height: Int, width: Int, using generator: inout some RandomNumberGenerator) -> [Double] {
        // Spectrum S[u][v] = (a + i·b) · scale(u, v).
        var real = [Double](repeating: 0, count: height * width)
        var imaginary = [Double](repeating: 0, count: height * width)
        let floorFrequency = 1 / Double(max(height, width))
        for u in 0..<height {
            let fu = Double(u <= height / 2 ? u : u - height) / Double(height)
            for v in 0..<width {
                let fv = Double(v <= width / 2 ? v : v - width) / Double(width)
                let frequency = max((fu * fu + fv * fv).squareRoot(), floorFrequency)
                let scale = 1 / Foundation.pow(frequency, decayPower)
                real[u * width + v] = generator.nextNormal() * scale
                imaginary[u * width + v] = generator.nextNormal() * scale
            }
        }
        // Inverse DFT along rows (v → x), then along columns (u → y); only the real part of the result is needed.
        var rowReal = [Double](repeating: 0, count: height * width)
        var rowImaginary = [Double](repeating: 0, count: height * width)
        for u in 0..<height {
            for x in 0..<width {
                var sr = 0.0
                var si = 0.0
                for v in 0..<width {
                    let angle = 2 * Double.pi * Double(v * x) / Double(width)
                    let (c, s) = (Foundation.cos(angle), Foundation.sin(angle))
                    sr += real[u * width + v] * c - imaginary[u * width + v] * s
                    si += real[u * width + v] * s + imaginary[u * width + v] * c
                }
                rowReal[u * width + x] = sr
                rowImaginary[u * width + x] = si
            }
        }
        var image = [Double](repeating: 0, count: height * width)
        for y in 0..<height {
            for x in 0..<width {
                var sr = 0.0
                for u in 0..<height {
                    let angle = 2 * Double.pi * Double(u * y) / Double(height)
                    sr +=
                        rowReal[u * width + x] * Foundation.cos(angle) - rowImaginary[u * width + x]
                        * Foundation.sin(angle)
                }
                image[y * width + x] = sr
            }
        }
        return image
    }

    /// A binary mask with exactly round(λ·h·w) ones at the brightest pixels of a low-frequency image.
    func mask(lambda: Double, height: Int, width: Int, using generator: inout some RandomNumberGenerator) -> [Float] {
        let image = lowFrequencyImage(height: height, width: width, using: &generator)
        let keep = Int((lambda * Double(height * width)).rounded())
        let order = image.indices.sorted { image[$0] > image[$1] || (image[$0] == image[$1] && $0 < $1) }
        var mask = [Float](repeating: 0, count: height * width)
        for index in order.prefix(keep) { mask[index] = 1 }
        return mask
    }

    public func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError)
        -> MixPlan
    {
        try MixingValidation.checkSpatial(sampleShape, strategy: "FMix")
        try MixingValidation.checkNonEmpty(batchSize: batchSize)
        let (height, width) = (sampleShape[1], sampleShape[2])
        let pixels = height * width
        let partners = pairing.partners(batchSize: batchSize, using: &generator)
        var values = [Float](repeating: 1, count: batchSize * pixels)
        var shared: [Float]? = nil
        if granularity == .perBatch {
            shared = mask(
                lambda: distribution.sample(using: &generator), height: height, width: width, using: &generator)
        }
        var realised = [Float](repeating: 1, count: batchSize)
        for i in 0..<batchSize {
            let m =
                shared
                ?? mask(lambda: distribution.sample(using: &generator), height: height, width: width, using: &generator)
            guard partners[i] != i else { continue }
            for p in 0..<pixels { values[i * pixels + p] = m[p] }
            realised[i] = Float(m.reduce(0, +)) / Float(pixels)
        }
        return try MixPlan(
            partners: partners, weights: .mask(height: height, width: width, values: values), labelWeights: realised)
    }
}

extension MixingStrategy where Self == FMixStrategy {
    /// FMix with λ ~ Beta(α, α) and decay power δ.
    ///
    /// - Throws: ``MixingError`` if α ≤ 0 or δ ≤ 0.
    public static func fMix(alpha: Double, decayPower: Double = 3) throws(MixingError) -> FMixStrategy {
        try FMixStrategy(distribution: .beta(alpha: alpha), decayPower: decayPower)
    }
}

extension Regularizer {
    /// FMix at the input (Harris et al. 2020).
    ///
    /// - Throws: ``MixingError`` if α ≤ 0 or δ ≤ 0.
    public static func fMix(alpha: Double = 1, decayPower: Double = 3) throws(MixingError) -> Regularizer {
        try Regularizer(name: "fmix", strategy: FMixStrategy.fMix(alpha: alpha, decayPower: decayPower))
    }
}
