import MixupMixing
import MixupTensor

/// GridMix (Baek, Bang & Shim, Pattern Recognition 2021, "GridMix: Strong regularization through local context
/// mapping"): the image is divided into an n×n grid and every cell is independently taken from the partner, giving a
/// grid of holes instead of CutMix's single box.
///
/// Per sample: the grid size n is drawn uniformly from ``gridSizes``, λ from ``distribution``, and each cell is
/// replaced by the partner's with probability 1 − λ. Cell boundaries are ⌊k·h/n⌋, so uneven sizes are covered exactly.
/// The label weight of the original is its realised pixel share (kept pixels over all pixels), not the drawn λ.
/// Works on any `[batch, channels, height, width]` tensor — at the input or on hidden feature maps.
public struct GridMixStrategy: MixingStrategy {
    /// The distribution of λ, the probability of keeping a cell.
    public let distribution: MixWeightDistribution
    /// The grid sizes n to draw from (cells per side).
    public let gridSizes: ClosedRange<Int>
    /// How partners are chosen.
    public let pairing: Pairing

    /// Creates the strategy.
    ///
    /// - Throws: ``MixingError/invalidParameter(name:value:requirement:)`` if the smallest grid size is below 1.
    public init(
        distribution: MixWeightDistribution, gridSizes: ClosedRange<Int> = 2...6, pairing: Pairing = .permutation
    ) throws(MixingError) {
        guard gridSizes.lowerBound >= 1 else {
            throw .invalidParameter(
                name: "GridMix grid sizes", value: "\(gridSizes)", requirement: "start at 1 or more")
        }
        self.distribution = distribution
        self.gridSizes = gridSizes
        self.pairing = pairing
    }

    public var name: String { "gridmix" }

    public func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError)
        -> MixPlan
    {
        try MixingValidation.checkSpatial(sampleShape, strategy: "GridMix")
        try MixingValidation.checkNonEmpty(batchSize: batchSize)
        let (height, width) = (sampleShape[1], sampleShape[2])
        let pixels = height * width
        let partners = pairing.partners(batchSize: batchSize, using: &generator)
        var mask = [Float](repeating: 1, count: batchSize * pixels)
        var realised = [Float](repeating: 1, count: batchSize)
        for i in 0..<batchSize {
            let n = gridSizes.lowerBound + generator.nextIndex(below: gridSizes.count)
            let keep = distribution.sample(using: &generator)
            var kept = pixels
            for row in 0..<n {
                for column in 0..<n {
                    let taken = generator.nextUnitDouble() >= keep
                    guard taken, partners[i] != i else { continue }
                    for y in (row * height / n)..<((row + 1) * height / n) {
                        for x in (column * width / n)..<((column + 1) * width / n) {
                            mask[i * pixels + y * width + x] = 0
                            kept -= 1
                        }
                    }
                }
            }
            realised[i] = Float(kept) / Float(pixels)
        }
        return try MixPlan(
            partners: partners, weights: .mask(height: height, width: width, values: mask), labelWeights: realised)
    }
}

extension MixingStrategy where Self == GridMixStrategy {
    /// GridMix with the cell-keeping probability λ ~ Beta(α, α) and grids of 2×2 to 6×6 cells.
    ///
    /// - Throws: ``MixingError`` if α ≤ 0.
    public static func gridMix(alpha: Double, gridSizes: ClosedRange<Int> = 2...6) throws(MixingError)
        -> GridMixStrategy
    {
        try GridMixStrategy(distribution: .beta(alpha: alpha), gridSizes: gridSizes)
    }
}

extension Regularizer {
    /// GridMix at the input (Baek et al. 2021), labels weighted by the realised pixel share.
    ///
    /// - Throws: ``MixingError`` if α ≤ 0.
    public static func gridMix(alpha: Double = 1, gridSizes: ClosedRange<Int> = 2...6) throws(MixingError)
        -> Regularizer
    {
        try Regularizer(name: "gridmix", strategy: GridMixStrategy.gridMix(alpha: alpha, gridSizes: gridSizes))
    }
}
