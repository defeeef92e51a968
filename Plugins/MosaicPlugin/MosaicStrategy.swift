import MixupMixing
import MixupTensor

/// Mosaic (Bochkovskiy, Wang & Liao 2020, "YOLOv4: Optimal Speed and Accuracy of Object Detection"), for
/// classification: each sample becomes a 2×2 mosaic of four images split at a random centre — the original in the
/// top-left cell and three partners in the others — with label weights equal to the cells' areas.
///
/// Per sample, the split point (c_y, c_x) is drawn uniformly with c_y/h and c_x/w in ``centreRange``. Each cell shows
/// the same region of its source image (a crop at the same place, as CutMix does, rather than YOLOv4's rescaled
/// images), so the mask is binary and the label weight of every source is exactly its cell's pixel share. The three
/// partner sets are independent random permutations; cells whose source is the sample itself keep its pixels, and a
/// sample whose three partners are all itself (always in a batch of one) is left whole with label weight 1.
public struct MosaicStrategy: MixingStrategy {
    /// The range of the split point as a fraction of each image side.
    public let centreRange: ClosedRange<Double>

    /// Creates the strategy.
    ///
    /// - Throws: ``MixingError/invalidParameter(name:value:requirement:)`` unless 0 ≤ lower ≤ upper ≤ 1.
    public init(centreRange: ClosedRange<Double> = 0.25...0.75) throws(MixingError) {
        guard centreRange.lowerBound >= 0, centreRange.upperBound <= 1 else {
            throw .invalidParameter(
                name: "Mosaic centre range", value: "\(centreRange)", requirement: "be within [0, 1]")
        }
        self.centreRange = centreRange
    }

    public var name: String { "mosaic" }

    public func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError)
        -> MixPlan
    {
        try MixingValidation.checkSpatial(sampleShape, strategy: "Mosaic")
        try MixingValidation.checkNonEmpty(batchSize: batchSize)
        let (height, width) = (sampleShape[1], sampleShape[2])
        let pixels = height * width
        let partnerSets = (0..<3).map { _ in Pairing.permutation.partners(batchSize: batchSize, using: &generator) }
        // masks[cell]: 1 where that cell's source shows; cell 0 is the original (top-left).
        var masks = [[Float]](repeating: [Float](repeating: 0, count: batchSize * pixels), count: 4)
        var areas = [[Float]](repeating: [Float](repeating: 0, count: batchSize), count: 4)
        for i in 0..<batchSize {
            let splitY = Int(
                (generator.nextUniform(centreRange.lowerBound, centreRange.upperBound) * Double(height))
                    .rounded())
            let splitX = Int(
                (generator.nextUniform(centreRange.lowerBound, centreRange.upperBound) * Double(width))
                    .rounded())
            var counts = [Int](repeating: 0, count: 4)
            // A sample whose three partners are all itself is left whole: the original covers every pixel.
            if partnerSets.allSatisfy({ $0[i] == i }) {
                for p in 0..<pixels { masks[0][i * pixels + p] = 1 }
                areas[0][i] = 1
                continue
            }
            for y in 0..<height {
                for x in 0..<width {
                    let cell = (y < splitY ? 0 : 2) + (x < splitX ? 0 : 1)
                    masks[cell][i * pixels + y * width + x] = 1
                    counts[cell] += 1
                }
            }
            for cell in 0..<4 { areas[cell][i] = Float(counts[cell]) / Float(pixels) }
        }
        return try MixPlan(
            original: .mask(height: height, width: width, values: masks[0]), labelWeights: areas[0],
            partners: (1..<4).map { cell in
                MixPlan.Source(
                    indices: partnerSets[cell - 1], weights: .mask(height: height, width: width, values: masks[cell]),
                    labelWeights: areas[cell])
            })
    }
}

extension MixingStrategy where Self == MosaicStrategy {
    /// A 2×2 mosaic split at a point drawn in `centreRange` of each side.
    public static func mosaic(centreRange: ClosedRange<Double> = 0.25...0.75) throws(MixingError) -> MosaicStrategy {
        try MosaicStrategy(centreRange: centreRange)
    }
}

extension Regularizer {
    /// Mosaic at the input (Bochkovskiy et al. 2020), labels weighted by the four cells' areas.
    public static func mosaic(centreRange: ClosedRange<Double> = 0.25...0.75) throws(MixingError) -> Regularizer {
        try Regularizer(name: "mosaic", strategy: MosaicStrategy.mosaic(centreRange: centreRange))
    }
}
