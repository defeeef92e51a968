@_spi(MixupEngine) import MixupTensor

/// Standard on-the-fly data augmentation for image batches: random crop with zero padding, random horizontal flip and
/// additive Gaussian noise, applied independently to each sample.
///
/// Padding by 4 and cropping back to 32 × 32 plus horizontal flips is the CIFAR augmentation used by the Mixup and
/// Manifold Mixup experiments (Zhang et al., ICLR 2018; Verma et al., ICML 2019). Gaussian input noise is the extra
/// perturbation of the semi-supervised recipes (e.g. Verma et al., "Interpolation Consistency Training", IJCAI 2019).
///
/// For each sample, in batch order, ``apply(to:using:)`` draws the vertical then the horizontal crop offset (only when
/// ``padding`` > 0), then the flip decision (only when ``flipProbability`` > 0), then one normal draw per element
/// (only when ``noiseStandardDeviation`` > 0). The same generator state therefore gives the same augmented batch.
///
/// ```swift
/// let augmentation = ImageAugmentation(padding: 4, flipProbability: 0.5)
/// let augmented = augmentation.apply(to: batch, using: &generator)
/// ```
public struct ImageAugmentation: Sendable, Equatable {
    /// Zero padding added on every side before cropping back to the original size; the crop offset is uniform in
    /// `0...2 × padding` on each axis, so a sample moves by up to `padding` pixels. 0 disables cropping.
    public var padding: Int
    /// The probability of mirroring a sample left–right, in [0, 1]. 0 disables flipping.
    public var flipProbability: Double
    /// The standard deviation of the Gaussian noise added to every element. 0 disables noise.
    public var noiseStandardDeviation: Float

    /// Creates an augmentation; the defaults do nothing.
    ///
    /// - Precondition: `padding ≥ 0`, `flipProbability` ∈ [0, 1], `noiseStandardDeviation ≥ 0` and finite.
    public init(padding: Int = 0, flipProbability: Double = 0, noiseStandardDeviation: Float = 0) {
        precondition(padding >= 0, "ImageAugmentation: padding must be non-negative, got \(padding)")
        precondition(
            flipProbability >= 0 && flipProbability <= 1,
            "ImageAugmentation: flipProbability must be in [0, 1], got \(flipProbability)")
        precondition(
            noiseStandardDeviation >= 0 && noiseStandardDeviation.isFinite,
            "ImageAugmentation: noiseStandardDeviation must be non-negative and finite, got \(noiseStandardDeviation)")
        self.padding = padding
        self.flipProbability = flipProbability
        self.noiseStandardDeviation = noiseStandardDeviation
    }

    /// The CIFAR augmentation of the Mixup papers: pad by 4, random 32 × 32 crop, horizontal flip with probability ½.
    public static let cifar = ImageAugmentation(padding: 4, flipProbability: 0.5)

    /// Whether ``apply(to:using:)`` returns its input unchanged (and draws nothing).
    public var isIdentity: Bool { padding == 0 && flipProbability == 0 && noiseStandardDeviation == 0 }

    /// An augmented copy of `batch`.
    ///
    /// - Parameters:
    ///   - batch: `[batch, channels, height, width]` images; cropping and flipping apply to the last two axes, and the
    ///     result has the same shape. A batch of any other rank (e.g. `[batch, features]`) receives only the noise;
    ///     ``padding`` and ``flipProbability`` are ignored for it.
    ///   - generator: the source of every random draw (see the type's documentation for the draw order).
    /// - Returns: a constant tensor of the same shape (no gradient is recorded).
    /// - Precondition: `batch` has rank ≥ 1 (a batch axis); the properties satisfy the initializer's preconditions.
    public func apply(to batch: Tensor, using generator: inout some RandomNumberGenerator) -> Tensor {
        precondition(batch.rank >= 1, "ImageAugmentation: expected a batch tensor, got shape \(batch.shape)")
        precondition(padding >= 0, "ImageAugmentation: padding must be non-negative, got \(padding)")
        precondition(
            flipProbability >= 0 && flipProbability <= 1,
            "ImageAugmentation: flipProbability must be in [0, 1], got \(flipProbability)")
        precondition(
            noiseStandardDeviation >= 0 && noiseStandardDeviation.isFinite,
            "ImageAugmentation: noiseStandardDeviation must be non-negative and finite, got \(noiseStandardDeviation)")
        let isImage = batch.rank == 4
        let crops = isImage && padding > 0
        let flips = isImage && flipProbability > 0
        let noisy = noiseStandardDeviation > 0
        if !crops && !flips && !noisy { return batch.detached() }

        let count = batch.shape[0]
        let sampleSize = count > 0 ? batch.count / count : 0
        let channels = isImage ? batch.shape[1] : 1
        let height = isImage ? batch.shape[2] : 1
        let width = isImage ? batch.shape[3] : sampleSize
        let std = noiseStandardDeviation
        let span = 2 * padding + 1

        // The noise's uniforms are drawn in the documented order, the transforms afterwards on the compute threads.
        var noise = NormalDraws(capacity: noisy ? batch.count : 0)
        let result = [Float](unsafeUninitializedCapacity: batch.count) { destination, initialized in
            batch.scalars.withUnsafeBufferPointer { source in
                for sample in 0..<count {
                    let base = sample * sampleSize
                    // Output pixel (y, x) reads input pixel (y + dy, sx + dx), where sx is x or its mirror.
                    var dy = 0
                    var dx = 0
                    if crops {
                        dy = generator.nextIndex(below: span) - padding
                        dx = generator.nextIndex(below: span) - padding
                    }
                    let flipped = flips && generator.nextBernoulli(flipProbability)
                    if crops || flips {
                        for channel in 0..<channels {
                            let plane = base + channel * height * width
                            for y in 0..<height {
                                let sy = y + dy
                                let row = plane + y * width
                                if sy < 0 || sy >= height {
                                    for x in 0..<width { destination[row + x] = 0 }
                                    continue
                                }
                                let sourceRow = plane + sy * width
                                for x in 0..<width {
                                    let sx = (flipped ? width - 1 - x : x) + dx
                                    destination[row + x] = sx >= 0 && sx < width ? source[sourceRow + sx] : 0
                                }
                            }
                        }
                    } else {
                        for i in base..<(base + sampleSize) { destination[i] = source[i] }
                    }
                    if noisy { noise.draw(sampleSize, using: &generator) }
                }
            }
            // Samples are visited in order, so draw i belongs to element i.
            if noisy && batch.count > 0 { noise.add(scaledBy: std, to: destination.baseAddress!) }
            initialized = batch.count
        }
        return Tensor(shape: batch.shape, scalars: result)
    }
}
