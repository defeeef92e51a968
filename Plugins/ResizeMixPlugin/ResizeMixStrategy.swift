import MixupMixing
import MixupTensor

/// ResizeMix (Qin et al. 2020, "ResizeMix: Mixing Data with Preserved Object Information and True Labels"): the
/// whole partner image, shrunk by a scale τ ~ U(scaleRange), is pasted into a random box of each sample.
///
/// The label weight of the original is 1 − (box area)/(h·w), the realised pixel fraction. Resizing is bilinear and
/// written with matrix products, so gradients flow to the partner's pixels too. One box per batch, as in the paper.
public struct ResizeMixStrategy: MixingStrategy {
    /// The range of the scale τ: the box side as a fraction of the image side (the paper uses [0.1, 0.8]).
    public let scaleRange: ClosedRange<Double>
    /// How partners are chosen.
    public let pairing: Pairing

    /// Creates the strategy.
    ///
    /// - Throws: ``MixingError`` unless 0 ≤ lower ≤ upper ≤ 1.
    public init(scaleRange: ClosedRange<Double> = 0.1...0.8, pairing: Pairing = .permutation) throws(MixingError) {
        guard scaleRange.lowerBound >= 0, scaleRange.upperBound <= 1 else {
            throw .invalidParameter(
                name: "ResizeMix scale range", value: "\(scaleRange)", requirement: "be within [0, 1]")
        }
        self.scaleRange = scaleRange
        self.pairing = pairing
    }

    public var name: String { "resizemix" }

    /// The plan's payload: the box `[top, top + height) × [left, left + width)` the resized partners are pasted
    /// into (one box for the batch).
    public struct Box: MixPayload {
        /// The first row of the box.
        public let top: Int
        /// The first column of the box.
        public let left: Int
        /// The box height in pixels.
        public let height: Int
        /// The box width in pixels.
        public let width: Int

        /// Creates a box.
        public init(top: Int, left: Int, height: Int, width: Int) {
            self.top = top
            self.left = left
            self.height = height
            self.width = width
        }
    }

    public func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError)
        -> MixPlan
    {
        try MixingValidation.checkSpatial(sampleShape, strategy: "ResizeMix")
        try MixingValidation.checkNonEmpty(batchSize: batchSize)
        let (height, width) = (sampleShape[1], sampleShape[2])
        let partners = pairing.partners(batchSize: batchSize, using: &generator)
        let tau = generator.nextUniform(scaleRange.lowerBound, scaleRange.upperBound)
        let boxHeight = min(max(Int((tau * Double(height)).rounded()), 0), height)
        let boxWidth = min(max(Int((tau * Double(width)).rounded()), 0), width)
        let top = generator.nextIndex(below: height - boxHeight + 1)
        let left = generator.nextIndex(below: width - boxWidth + 1)
        var values = [Float](repeating: 1, count: batchSize * height * width)
        var realised = [Float](repeating: 1, count: batchSize)
        for i in 0..<batchSize where partners[i] != i {
            for y in top..<(top + boxHeight) {
                for x in left..<(left + boxWidth) { values[(i * height + y) * width + x] = 0 }
            }
            realised[i] = Float(height * width - boxHeight * boxWidth) / Float(height * width)
        }
        return try MixPlan(
            partners: partners, weights: .mask(height: height, width: width, values: values), labelWeights: realised,
            payload: Box(top: top, left: left, height: boxHeight, width: boxWidth))
    }

    /// Pastes each partner, resized to the plan's ``Box``, where the plan's mask is 0.
    public func apply(_ plan: MixPlan, to x: Tensor) throws(MixingError) -> Tensor {
        guard case .mask(let height, let width, let values) = plan.weights, let box = plan.payload(as: Box.self)
        else {
            throw .planMismatch(strategy: name, reason: "it needs a mask plan with a ResizeMixStrategy.Box payload")
        }
        guard x.rank == 4, x.shape[0] == plan.batchSize, x.shape[2] == height, x.shape[3] == width else {
            throw .shapeMismatch(
                what: "the tensor mixed by ResizeMix", shape: x.shape,
                expected: "[\(plan.batchSize), channels, \(height), \(width)]")
        }
        let (top, left, boxHeight, boxWidth) = (box.top, box.left, box.height, box.width)
        guard top >= 0, left >= 0, boxHeight >= 0, boxWidth >= 0, top + boxHeight <= height,
            left + boxWidth <= width
        else { throw .planMismatch(strategy: name, reason: "box \(box) does not fit \(height)×\(width)") }
        guard boxHeight > 0, boxWidth > 0 else { return x }
        // Nothing to paste when every sample is its own partner (a batch of one): the batch is returned unchanged.
        guard (0..<plan.batchSize).contains(where: { plan.partners[$0] != $0 }) else { return x }
        let (bottom, right) = (top + boxHeight, left + boxWidth)
        let (batch, channels) = (x.shape[0], x.shape[1])
        // resized = Rh · P · Rwᵀ per plane, with bilinear interpolation matrices.
        let partner = plan.partnerBatch(x).reshaped(to: [batch * channels, height, width])
        let rowsThenColumns = Tensor.matmul(partner, Self.bilinearMatrix(from: width, to: boxWidth), transposeB: true)
        let resized = Tensor.matmul(
            rowsThenColumns.transposed(), Self.bilinearMatrix(from: height, to: boxHeight), transposeB: true
        ).transposed()
        let pasted = resized.reshaped(to: [batch, channels, boxHeight, boxWidth])
            .padded(top: top, bottom: height - bottom, left: left, right: width - right)
        let w = Tensor(shape: [batch, 1, height, width], scalars: values)
        return x * w + pasted * (1 - w)
    }

    /// `[outSize, inSize]` bilinear resampling weights (align-corners off, as PyTorch's default).
    static func bilinearMatrix(from inSize: Int, to outSize: Int) -> Tensor {
        var weights = [Float](repeating: 0, count: outSize * inSize)
        let scale = Double(inSize) / Double(outSize)
        for o in 0..<outSize {
            let source = max((Double(o) + 0.5) * scale - 0.5, 0)
            let lower = min(Int(source), inSize - 1)
            let upper = min(lower + 1, inSize - 1)
            let fraction = Float(source - Double(lower))
            weights[o * inSize + lower] += 1 - fraction
            weights[o * inSize + upper] += fraction
        }
        return Tensor(shape: [outSize, inSize], scalars: weights)
    }
}

extension MixingStrategy where Self == ResizeMixStrategy {
    /// ResizeMix with the box scale τ ~ U(scaleRange).
    public static func resizeMix(scaleRange: ClosedRange<Double> = 0.1...0.8) throws(MixingError) -> ResizeMixStrategy {
        try ResizeMixStrategy(scaleRange: scaleRange)
    }
}

extension Regularizer {
    /// ResizeMix at the input (Qin et al. 2020).
    public static func resizeMix(scaleRange: ClosedRange<Double> = 0.1...0.8) throws(MixingError) -> Regularizer {
        try Regularizer(name: "resizemix", strategy: ResizeMixStrategy.resizeMix(scaleRange: scaleRange))
    }
}
