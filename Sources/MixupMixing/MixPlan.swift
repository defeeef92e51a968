import MixupTensor

/// A drawn mixing decision for one batch, separate from the tensors it is applied to.
///
/// A ``MixingStrategy`` draws the plan (partners, weights, boxes or masks) with an injected generator; the same plan
/// then mixes inputs or hidden states and drives the labels, so inputs and targets can never disagree.
///
/// A plan is a list of **sources**: the original batch first, then one or more partner sets. Sample `i` of the mixed
/// batch is `Σₛ Wₛ[i] ⊙ x[indicesₛ[i]]`, where the weights of the sources sum to 1 element by element. Two-sample
/// strategies (Mixup, CutMix, …) have one partner set and use ``init(partners:weights:labelWeights:payload:)``; k-sample
/// strategies (k-Mixup, Mosaic) use ``init(original:labelWeights:partners:payload:)``.
///
/// Weights may be one per sample, a mask per pixel shared by channels, or any mask that broadcasts over the sample —
/// per element of `[batch, features]`, per channel, per element of `[channels, height, width]` (see ``Weights``).
///
/// **Convention (everywhere in MixupKit): λ is the weight of the original sample.** ``weights`` and ``labelWeights``
/// describe the original; every source also carries its own *realised* label weight (``Source/labelWeights``: the
/// exact mixed fraction after clipping and rounding), and label mixers use those, never a drawn λ.
public struct MixPlan: Sendable, Equatable {
    /// How one source's contribution is laid out over a sample.
    public enum Weights: Sendable, Equatable {
        /// One weight per sample (interpolation: Mixup, Manifold Mixup). `[batch]`, each in [0, 1].
        case perSample([Float])
        /// A per-pixel weight for each sample, `[batch, height, width]` row-major, shared by all channels
        /// (box paste: CutMix; masks: FMix). Mixes `[batch, channels, height, width]` tensors only.
        case mask(height: Int, width: Int, values: [Float])
        /// A weight of per-sample shape `shape` broadcast over the sample: `values` is `[batch] + shape` row-major;
        /// `shape` has the sample's rank and each extent equals the sample's or is 1. `[features]` weighs each element
        /// of `[batch, features]` data, `[channels, 1, 1]` each channel, `[1, height, width]` each pixel.
        case broadcast(shape: [Int], values: [Float])

        /// A weight for each element of `[batch, features]` data (tabular inputs, hidden layers of an MLP).
        public static func perFeature(features: Int, values: [Float]) -> Weights {
            .broadcast(shape: [features], values: values)
        }

        /// A weight for each channel of `[batch, channels, height, width]` data, shared by the channel's pixels.
        public static func perChannel(channels: Int, values: [Float]) -> Weights {
            .broadcast(shape: [channels, 1, 1], values: values)
        }

        /// The per-sample shape of the weight (`[]` for ``perSample(_:)``, `[1, height, width]` for a mask).
        public var sampleShape: [Int] {
            switch self {
            case .perSample: []
            case .mask(let height, let width, _): [1, height, width]
            case .broadcast(let shape, _): shape
            }
        }

        /// All weights, `[batch] + sampleShape` row-major.
        public var values: [Float] {
            switch self {
            case .perSample(let values): values
            case .mask(_, _, let values): values
            case .broadcast(_, let values): values
            }
        }

        /// The number of weights per sample.
        public var countPerSample: Int { sampleShape.reduce(1, *) }

        /// The mean weight of sample `i` (the mixed fraction this source contributes to it).
        public func meanWeight(ofSample i: Int) -> Float {
            let n = countPerSample
            guard n > 0 else { return 0 }
            let all = values
            var sum: Double = 0
            for k in (i * n)..<((i + 1) * n) { sum += Double(all[k]) }
            return Float(sum / Double(n))
        }

        /// The mixed fraction of every sample (``meanWeight(ofSample:)`` for each), computed exactly for binary masks.
        public func meanWeights(batchSize: Int) -> [Float] {
            (0..<batchSize).map { meanWeight(ofSample: $0) }
        }

        /// The same layout with every value v replaced by 1 − v.
        func complement() -> Weights {
            switch self {
            case .perSample(let values): .perSample(values.map { 1 - $0 })
            case .mask(let height, let width, let values):
                .mask(height: height, width: width, values: values.map { 1 - $0 })
            case .broadcast(let shape, let values): .broadcast(shape: shape, values: values.map { 1 - $0 })
            }
        }

        /// The weights as a tensor that broadcasts against `x` (`[batch] + sampleShape`).
        func tensor(batchSize: Int, against x: Tensor) throws(MixingError) -> Tensor {
            switch self {
            case .perSample(let values):
                return Tensor(shape: [batchSize] + Array(repeating: 1, count: x.rank - 1), scalars: values)
            case .mask(let height, let width, let values):
                guard x.rank == 4, x.shape[2] == height, x.shape[3] == width else {
                    throw .shapeMismatch(
                        what: "the tensor mixed by a \(height)×\(width) mask", shape: x.shape,
                        expected: "[batch, channels, \(height), \(width)]")
                }
                return Tensor(shape: [batchSize, 1, height, width], scalars: values)
            case .broadcast(let shape, let values):
                let sample = Array(x.shape.dropFirst())
                guard shape.count == sample.count,
                    zip(shape, sample).allSatisfy({ $0 == $1 || $0 == 1 })
                else {
                    throw .shapeMismatch(
                        what: "the tensor mixed by a weight of per-sample shape \(shape)", shape: x.shape,
                        expected: "[batch] + a shape of rank \(shape.count) matching \(shape) where it is not 1")
                }
                return Tensor(shape: [batchSize] + shape, scalars: values)
            }
        }
    }

    /// One term of the mix: which sample contributes to each mixed sample, with what weights.
    public struct Source: Sendable, Equatable {
        /// `indices[i]` is the sample this source contributes to mixed sample `i` (`[batch]`).
        public let indices: [Int]
        /// The weights of this source, laid out over each sample.
        public let weights: Weights
        /// The realised fraction of each mixed sample that comes from this source (`[batch]`, in [0, 1]): the λ for
        /// interpolation, the exact pixel, feature or area share for masks. Label mixers weigh this source's targets
        /// by it.
        public let labelWeights: [Float]

        /// Creates a source.
        public init(indices: [Int], weights: Weights, labelWeights: [Float]) {
            self.indices = indices
            self.weights = weights
            self.labelWeights = labelWeights
        }
    }

    /// The number of samples.
    public let batchSize: Int
    /// The original batch (identity indices, weight λ) followed by the partner sets.
    public let sources: [Source]
    /// Data the drawing strategy keeps for its own ``MixingStrategy/apply(_:to:)`` (e.g. ResizeMix's box, the branch
    /// a ``SwitchingStrategy`` chose). `nil` for plain blends. Read it with ``payload(as:)``.
    public var payload: (any MixPayload)?

    /// Tolerance for "weights sum to 1".
    static let sumTolerance: Float = 1e-4

    /// Creates a two-sample plan: sample `i` becomes `w_i ⊙ x_i + (1 − w_i) ⊙ x_partner(i)`.
    ///
    /// - Parameters:
    ///   - partners: `partners[i]` is the sample mixed into sample `i`.
    ///   - weights: the weights of the original samples (λ).
    ///   - labelWeights: the realised fraction of each original sample; the partner's is 1 − that.
    ///   - payload: data for the strategy's own `apply`.
    /// - Throws: ``MixingError/invalidPlan(_:)`` if counts disagree, a partner is out of range, or a weight is
    ///   outside [0, 1].
    public init(
        partners: [Int], weights: Weights, labelWeights: [Float], payload: (any MixPayload)? = nil
    ) throws(MixingError) {
        let batch = partners.count
        try Self.checkIndices(partners, batch: batch, what: "partner indices")
        try Self.checkLabelWeights(labelWeights, batch: batch, what: "label weights")
        try Self.checkWeights(weights, batch: batch, what: "sample weights")
        try self.init(
            original: weights, labelWeights: labelWeights,
            partners: [
                Source(indices: partners, weights: weights.complement(), labelWeights: labelWeights.map { 1 - $0 })
            ], payload: payload)
    }

    /// Creates a plan with any number of partner sets (k-Mixup, Mosaic, …).
    ///
    /// - Parameters:
    ///   - original: the weights of the original samples (λ).
    ///   - labelWeights: the realised fraction of each original sample.
    ///   - partners: one ``Source`` per partner set, with the same weight layout as `original`.
    ///   - payload: data for the strategy's own `apply`.
    /// - Throws: ``MixingError/invalidPlan(_:)`` if counts or layouts disagree, an index is out of range, a weight is
    ///   outside [0, 1], or the weights (or label weights) of a sample do not sum to 1.
    public init(
        original: Weights, labelWeights: [Float], partners: [Source], payload: (any MixPayload)? = nil
    ) throws(MixingError) {
        let batch = labelWeights.count
        let sources = [Source(indices: Array(0..<batch), weights: original, labelWeights: labelWeights)] + partners
        for (s, source) in sources.enumerated() {
            let what = s == 0 ? "the original" : "partner set \(s)"
            try Self.checkIndices(source.indices, batch: batch, what: "indices of \(what)")
            try Self.checkLabelWeights(source.labelWeights, batch: batch, what: "label weights of \(what)")
            try Self.checkWeights(source.weights, batch: batch, what: "weights of \(what)")
            guard source.weights.sampleShape == original.sampleShape else {
                throw .invalidPlan(
                    "\(what) has weights of per-sample shape \(source.weights.sampleShape), the original "
                        + "\(original.sampleShape); every source must use the same layout")
            }
        }
        let perSample = original.countPerSample
        let allValues = sources.map(\.weights.values)
        for k in 0..<(batch * perSample) {
            let total = allValues.reduce(Float(0)) { $0 + $1[k] }
            guard abs(total - 1) <= Self.sumTolerance else {
                throw .invalidPlan(
                    "the weights of sample \(k / max(perSample, 1)) sum to \(total) at element \(k % max(perSample, 1)), "
                        + "not 1")
            }
        }
        for i in 0..<batch {
            let total = sources.reduce(Float(0)) { $0 + $1.labelWeights[i] }
            guard abs(total - 1) <= Self.sumTolerance else {
                throw .invalidPlan("the label weights of sample \(i) sum to \(total), not 1")
            }
        }
        self.batchSize = batch
        self.sources = sources
        self.payload = payload
    }

    private static func checkIndices(_ indices: [Int], batch: Int, what: String) throws(MixingError) {
        guard indices.count == batch else {
            throw .invalidPlan("\(indices.count) \(what) for a batch of \(batch)")
        }
        guard indices.allSatisfy({ $0 >= 0 && $0 < batch }) else {
            throw .invalidPlan("\(what) \(indices) must be in 0..<\(batch)")
        }
    }

    private static func checkLabelWeights(_ values: [Float], batch: Int, what: String) throws(MixingError) {
        guard values.count == batch else { throw .invalidPlan("\(values.count) \(what) for a batch of \(batch)") }
        guard values.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw .invalidPlan("\(what) must be in [0, 1], got \(values.filter { !($0 >= 0 && $0 <= 1) })")
        }
    }

    private static func checkWeights(_ weights: Weights, batch: Int, what: String) throws(MixingError) {
        switch weights {
        case .perSample(let w):
            guard w.count == batch else { throw .invalidPlan("\(w.count) \(what) for a batch of \(batch)") }
        case .mask(let h, let w, let values):
            guard h > 0, w > 0, values.count == batch * h * w else {
                throw .invalidPlan("mask of \(values.count) values does not fit [\(batch), \(h), \(w)]")
            }
        case .broadcast(let shape, let values):
            guard shape.allSatisfy({ $0 > 0 }), values.count == batch * shape.reduce(1, *) else {
                throw .invalidPlan("\(values.count) weights do not fit [\(batch)] + \(shape)")
            }
        }
        guard weights.values.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw .invalidPlan(
                "\(what) must be in [0, 1], got \(weights.values.filter { !($0 >= 0 && $0 <= 1) }.prefix(8))")
        }
    }

    /// The identity plan: every sample paired with itself at weight 1 (what "no mixing" means).
    public static func identity(batchSize: Int) -> MixPlan { MixPlan(unchecked: batchSize) }

    private init(unchecked batchSize: Int) {
        let all = Array(0..<batchSize)
        self.batchSize = batchSize
        self.sources = [
            Source(
                indices: all, weights: .perSample(Array(repeating: 1, count: batchSize)),
                labelWeights: Array(repeating: 1, count: batchSize)),
            Source(
                indices: all, weights: .perSample(Array(repeating: 0, count: batchSize)),
                labelWeights: Array(repeating: 0, count: batchSize)),
        ]
        self.payload = nil
    }

    /// `partners[i]` is the (first) sample mixed into sample `i`; sample `i` itself when the plan has no partner set.
    public var partners: [Int] { sources.count > 1 ? sources[1].indices : sources[0].indices }
    /// The mixing weights of the original samples (λ).
    public var weights: Weights { sources[0].weights }
    /// The realised weight of each original sample in the result (`[batch]`, in [0, 1]): the λ for interpolation, the
    /// exact kept fraction for masks. Label mixers use these, never the drawn λ.
    public var labelWeights: [Float] { sources[0].labelWeights }
    /// The partner sets (every source but the original), in order.
    public var partnerSources: ArraySlice<Source> { sources.dropFirst() }
    /// The realised label weight of every source, `[sources][batch]`; each sample's weights sum to 1.
    public var sourceLabelWeights: [[Float]] { sources.map(\.labelWeights) }

    /// The payload if it is of type `P`.
    public func payload<P: MixPayload>(as type: P.Type) -> P? { payload as? P }

    public static func == (lhs: MixPlan, rhs: MixPlan) -> Bool {
        lhs.batchSize == rhs.batchSize && lhs.sources == rhs.sources && payloadsEqual(lhs.payload, rhs.payload)
    }

    /// Mixes `x` (`[batch, ...]`) by this plan with differentiable operations: `Σₛ Wₛ ⊙ x[indicesₛ]`
    /// (for two sources, `w ⊙ x + (1 − w) ⊙ x[partners]`).
    ///
    /// Gradients flow into `x` through every term, so they reach the layers before the mixing point.
    /// - Throws: ``MixingError/shapeMismatch(what:shape:expected:)`` if the batch size differs or the weights do not
    ///   fit the sample shape (a mask needs `[batch, channels, height, width]` with its height and width).
    public func mix(_ x: Tensor) throws(MixingError) -> Tensor {
        guard x.rank >= 1, x.shape[0] == batchSize else {
            throw .shapeMismatch(what: "the tensor to mix", shape: x.shape, expected: "a batch of \(batchSize) samples")
        }
        var result = x * (try sources[0].weights.tensor(batchSize: batchSize, against: x))
        for source in sources.dropFirst() {
            let w = try source.weights.tensor(batchSize: batchSize, against: x)
            result = result + x.gathering(rows: source.indices) * w
        }
        return result
    }

    /// `x[partners]`: the (first) partner of every sample (differentiable).
    public func partnerBatch(_ x: Tensor) -> Tensor { x.gathering(rows: partners) }

    /// `x[sources[index].indices]`: the samples source `index` contributes (differentiable).
    public func sourceBatch(_ index: Int, of x: Tensor) -> Tensor { x.gathering(rows: sources[index].indices) }
}
