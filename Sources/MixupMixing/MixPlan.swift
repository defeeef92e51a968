import MixupTensor

/// A drawn mixing decision for one batch, separate from the tensors it is applied to.
///
/// A ``MixingStrategy`` draws the plan (partners, weights, boxes or masks) with an injected generator; the same plan
/// then mixes inputs or hidden states and drives the labels, so inputs and targets can never disagree.
///
/// **Convention (everywhere in MixupKit): λ is the weight of the original sample.** Sample `i` of the mixed batch is
/// `w_i ⊙ x_i + (1 − w_i) ⊙ x_partner(i)`, and ``labelWeights``[i] is the realised fraction of sample `i` itself.
public struct MixPlan: Sendable, Equatable {
    /// How each sample's own contribution is laid out.
    public enum Weights: Sendable, Equatable {
        /// One weight per sample (interpolation: Mixup, Manifold Mixup). `[batch]`, each in [0, 1].
        case perSample([Float])
        /// A per-pixel weight for each sample, `[batch, height, width]` row-major, shared by all channels
        /// (box paste: CutMix; masks: FMix). 1 keeps the original pixel, 0 takes the partner's.
        case mask(height: Int, width: Int, values: [Float])
    }

    /// The number of samples.
    public let batchSize: Int
    /// `partners[i]` is the sample mixed into sample `i`.
    public let partners: [Int]
    /// The mixing weights of the original samples.
    public let weights: Weights
    /// The realised weight of each original sample in the result (`[batch]`, in [0, 1]): the λ for interpolation, the
    /// exact kept-pixel fraction for masks. Label mixers use these, never the drawn λ.
    public let labelWeights: [Float]
    /// Free-form routing for composite strategies (e.g. which branch of a switch drew this plan). Empty otherwise.
    public var route: [Int]

    /// Creates a plan, validating that it is self-consistent.
    ///
    /// - Throws: ``MixingError`` if counts disagree, a partner is out of range, or a weight is outside [0, 1].
    public init(partners: [Int], weights: Weights, labelWeights: [Float], route: [Int] = []) throws(MixingError) {
        let batch = partners.count
        guard partners.allSatisfy({ $0 >= 0 && $0 < batch }) else {
            throw MixingError("partner indices \(partners) must be in 0..<\(batch)")
        }
        guard labelWeights.count == batch else {
            throw MixingError("\(labelWeights.count) label weights for a batch of \(batch)")
        }
        guard labelWeights.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw MixingError("label weights must be in [0, 1], got \(labelWeights.filter { !($0 >= 0 && $0 <= 1) })")
        }
        switch weights {
        case .perSample(let w):
            guard w.count == batch else { throw MixingError("\(w.count) sample weights for a batch of \(batch)") }
            guard w.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
                throw MixingError("sample weights must be in [0, 1], got \(w.filter { !($0 >= 0 && $0 <= 1) })")
            }
        case .mask(let h, let w, let values):
            guard h > 0, w > 0, values.count == batch * h * w else {
                throw MixingError("mask of \(values.count) values does not fit [\(batch), \(h), \(w)]")
            }
            guard values.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
                throw MixingError(
                    "mask weights must be in [0, 1], got \(values.filter { !($0 >= 0 && $0 <= 1) }.prefix(8))")
            }
        }
        self.batchSize = batch
        self.partners = partners
        self.weights = weights
        self.labelWeights = labelWeights
        self.route = route
    }

    /// The identity plan: every sample paired with itself at weight 1 (what "no mixing" means).
    public static func identity(batchSize: Int) -> MixPlan { MixPlan(unchecked: batchSize) }

    private init(unchecked batchSize: Int) {
        self.batchSize = batchSize
        self.partners = Array(0..<batchSize)
        self.weights = .perSample(Array(repeating: 1, count: batchSize))
        self.labelWeights = Array(repeating: 1, count: batchSize)
        self.route = []
    }

    /// Mixes `x` (`[batch, ...]`) by this plan with differentiable operations: `w ⊙ x + (1 − w) ⊙ x[partners]`.
    ///
    /// Gradients flow into `x` through both terms, so they reach the layers before the mixing point.
    /// - Throws: ``MixingError`` if the batch size differs, or a mask plan meets a tensor that is not
    ///   `[batch, channels, height, width]` with the mask's height and width.
    public func mix(_ x: Tensor) throws(MixingError) -> Tensor {
        guard x.rank >= 1, x.shape[0] == batchSize else {
            throw MixingError("plan for a batch of \(batchSize) cannot mix a tensor of shape \(x.shape)")
        }
        let partner = x.gathering(rows: partners)
        let w: Tensor
        switch weights {
        case .perSample(let values):
            w = Tensor(shape: [batchSize] + Array(repeating: 1, count: x.rank - 1), scalars: values)
        case .mask(let h, let width, let values):
            guard x.rank == 4, x.shape[2] == h, x.shape[3] == width else {
                throw MixingError(
                    "a \(h)×\(width) mask cannot mix a tensor of shape \(x.shape); expected [batch, channels, \(h), \(width)]"
                )
            }
            w = Tensor(shape: [batchSize, 1, h, width], scalars: values)
        }
        return x * w + partner * (1 - w)
    }

    /// `x[partners]`: the partner of every sample (differentiable).
    public func partnerBatch(_ x: Tensor) -> Tensor { x.gathering(rows: partners) }
}
