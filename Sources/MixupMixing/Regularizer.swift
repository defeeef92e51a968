import MixupNN
import MixupTensor

/// A complete mixing regularizer: *what* to mix (a ``MixingStrategy``), *where* (a ``LayerSelector``) and how the
/// targets follow (a ``LabelMixer``), plus when to apply it.
///
/// Recipes hold one `Regularizer`; swapping Mixup for Manifold Mixup or CutMix is a one-line change
/// (`.mixup(alpha: 1)` → `.manifoldMixup(alpha: 2)` → `.cutMix(alpha: 1)`, factories the plugins add).
public struct Regularizer: Sendable {
    /// A short name for logs and results (`"erm"`, `"mixup"`, …).
    public var name: String
    /// How batches are combined.
    public var strategy: any MixingStrategy
    /// Where in the network they are combined.
    public var selector: any LayerSelector
    /// How targets follow.
    public var labelMixer: any LabelMixer
    /// The probability of mixing a given batch (timm's `prob`).
    public private(set) var probability: Double
    /// The last epoch (counting from 0) in which mixing is applied; `nil` for all epochs.
    public private(set) var lastMixingEpoch: Int?
    /// The loss the objective minimises against the targets (e.g. the decoupled mixup loss); `nil`: the objective's
    /// own loss (softmax cross-entropy for supervised training). Set it with ``withLoss(_:)``.
    public var mixingLoss: (any MixingLoss)?
    /// When set, every batch is fed as the clean batch followed by its mixed copy (RegMixup, Pinto et al. 2022) and
    /// the loss is L(clean) + η·L(mixed) with η this weight (see ``MixedForward/loss(_:)``); `nil`: the mixed batch
    /// alone. Set it with ``keepingCleanBatch(mixedLossWeight:)``.
    public private(set) var mixedLossWeight: Double?

    /// Creates a regularizer.
    ///
    /// - Throws: ``MixingError`` if `probability` is outside [0, 1] or `lastMixingEpoch` is negative.
    public init(
        name: String, strategy: any MixingStrategy, selector: any LayerSelector = InputSelector(),
        labelMixer: any LabelMixer = InterpolatedLabels(), probability: Double = 1, lastMixingEpoch: Int? = nil
    ) throws(MixingError) {
        try MixingValidation.checkProbability(probability)
        if let lastMixingEpoch, lastMixingEpoch < 0 {
            throw .invalidParameter(
                name: "lastMixingEpoch", value: "\(lastMixingEpoch)", requirement: "be non-negative")
        }
        self.name = name
        self.strategy = strategy
        self.selector = selector
        self.labelMixer = labelMixer
        self.probability = probability
        self.lastMixingEpoch = lastMixingEpoch
        self.mixingLoss = nil
        self.mixedLossWeight = nil
    }

    /// Empirical risk minimisation: no mixing.
    public static var erm: Regularizer {
        Regularizer(unchecked: "erm", strategy: IdentityStrategy(), selector: NoMixingSelector())
    }

    private init(unchecked name: String, strategy: any MixingStrategy, selector: any LayerSelector) {
        self.name = name
        self.strategy = strategy
        self.selector = selector
        self.labelMixer = InterpolatedLabels()
        self.probability = 1
        self.lastMixingEpoch = nil
        self.mixingLoss = nil
        self.mixedLossWeight = nil
    }

    /// The same regularizer applied to each batch with probability `p`.
    public func applied(withProbability p: Double) throws(MixingError) -> Regularizer {
        try MixingValidation.checkProbability(p)
        var copy = self
        copy.probability = p
        return copy
    }

    /// The same regularizer, switched off after `epoch` (counting from 0).
    public func disabled(afterEpoch epoch: Int) throws(MixingError) -> Regularizer {
        guard epoch >= 0 else {
            throw .invalidParameter(
                name: "disabled(afterEpoch:)'s epoch", value: "\(epoch)", requirement: "be non-negative")
        }
        var copy = self
        copy.lastMixingEpoch = epoch
        return copy
    }

    /// The same regularizer mixing at the points chosen by `selector`.
    public func mixing(at selector: any LayerSelector) -> Regularizer {
        var copy = self
        copy.selector = selector
        return copy
    }

    /// The same regularizer with another label mixer.
    public func labels(_ labelMixer: any LabelMixer) -> Regularizer {
        var copy = self
        copy.labelMixer = labelMixer
        return copy
    }

    /// The same regularizer with the objective minimising `loss` against the (mixed) targets.
    public func withLoss(_ loss: any MixingLoss) -> Regularizer {
        var copy = self
        copy.mixingLoss = loss
        return copy
    }

    /// The same regularizer feeding the clean batch followed by its mixed copy, with the loss
    /// L(clean) + η·L(mixed), η = `mixedLossWeight` (RegMixup, Pinto et al., NeurIPS 2022). The batch the model sees
    /// is twice as large; batches that are not mixed (probability, last epoch) are fed clean alone.
    ///
    /// - Throws: ``MixingError/invalidParameter(name:value:requirement:)`` naming η if it is negative or not finite.
    public func keepingCleanBatch(mixedLossWeight: Double) throws(MixingError) -> Regularizer {
        guard mixedLossWeight >= 0 && mixedLossWeight.isFinite else {
            throw .invalidParameter(
                name: "the mixed loss weight η", value: "\(mixedLossWeight)", requirement: "be non-negative and finite")
        }
        var copy = self
        copy.mixedLossWeight = mixedLossWeight
        return copy
    }

    /// Runs `model` on a batch with this regularizer: picks the mix point, runs up to it, draws a plan for the
    /// hidden state (``MixingStrategy/plan(for:using:)``, so data-aware strategies see it), mixes, finishes the forward
    /// pass, and mixes the targets by the realised weights.
    ///
    /// - Parameters:
    ///   - model: the network, split at its mix points.
    ///   - input: `[batch, ...]` model input.
    ///   - labels: `[batch, classes]` targets (one-hot or soft).
    ///   - epoch: the current epoch, counting from 0 (for ``lastMixingEpoch``).
    ///   - context: the forward context (training mode, dropout generator).
    ///   - generator: the source of every random draw (whether to mix, the mix point, the plan).
    /// With ``mixedLossWeight`` set, the tensor fed on from the mix point is the clean batch followed by the mixed one,
    /// and the output and targets have twice the rows (``MixedForward/cleanCount`` tells where the mixed rows start).
    ///
    /// - Throws: ``MixingError`` from the selector, strategy or label mixer;
    ///   ``MixingError/noGradientPath(strategy:point:)`` if the strategy's `apply` cut the gradient path of a hidden
    ///   state that had one (gradients would silently stop at the mix point).
    public func forward(
        _ model: any MixableModel, input: Tensor, labels: Tensor, epoch: Int, context: inout ForwardContext,
        using generator: inout some RandomNumberGenerator
    ) throws(MixingError) -> MixedForward {
        let batch = input.shape.first ?? 0
        guard labels.rank == 2, labels.shape[0] == batch else {
            throw .shapeMismatch(
                what: "labels", shape: labels.shape,
                expected: "[\(batch), classes] for the inputs of shape \(input.shape)")
        }
        var point: MixPoint? = nil
        let isActive = lastMixingEpoch.map { epoch <= $0 } ?? true
        if isActive && (probability >= 1 || (probability > 0 && generator.nextBernoulli(probability))) {
            point = try selector.select(from: model.mixPoints, using: &generator)
        }
        guard let point else {
            let output = model.forward(input, from: .input, to: nil, context: &context)
            // Unmixed batches still go through the label mixer (with the identity plan), so label transforms such as
            // smoothing apply to every batch, not only to the mixed ones.
            let targets = try labelMixer.targets(for: .identity(batchSize: batch), labels: labels)
            return MixedForward(
                output: output, targets: targets, point: nil, plan: nil, mixed: nil,
                cleanCount: mixedLossWeight == nil ? 0 : batch, mixedLossWeight: Float(mixedLossWeight ?? 0))
        }
        let hidden = model.forward(input, from: .input, to: point, context: &context)
        let plan = try strategy.plan(
            for: MixingBatch(values: hidden, labels: labels, point: point, input: input, model: model),
            using: &generator)
        let mixed = try strategy.apply(plan, to: hidden)
        if hidden.requiresGradient && !mixed.requiresGradient && isRecordingGradients {
            throw .noGradientPath(strategy: strategy.name, point: point.name)
        }
        let targets = try labelMixer.targets(for: plan, labels: labels)
        guard let mixedLossWeight else {
            let output = model.forward(mixed, from: point, to: nil, context: &context)
            return MixedForward(
                output: output, targets: targets, point: point, plan: plan, mixed: mixed, cleanCount: 0,
                mixedLossWeight: 0)
        }
        let fed = Tensor.concatenate([hidden, mixed], alongAxis: 0)
        let output = model.forward(fed, from: point, to: nil, context: &context)
        let clean = try labelMixer.targets(for: .identity(batchSize: batch), labels: labels)
        return MixedForward(
            output: output, targets: try MixedTargets.concatenating([clean, targets]), point: point, plan: plan,
            mixed: fed, cleanCount: batch, mixedLossWeight: Float(mixedLossWeight))
    }
}

/// The result of ``Regularizer/forward(_:input:labels:epoch:context:using:)``.
public struct MixedForward {
    /// The model's output on the mixed batch, `[batch, classes]` logits (`[2·batch, classes]`, clean rows first, for a
    /// regularizer that keeps the clean batch).
    public let output: Tensor
    /// The targets of the rows of ``output``.
    public let targets: MixedTargets
    /// Where the batch was mixed, or `nil` if it was not.
    public let point: MixPoint?
    /// The plan that mixed it, or `nil` if it was not mixed.
    public let plan: MixPlan?
    /// The tensor fed on from the mix point (the mixed inputs or hidden states; clean rows first for a regularizer
    /// that keeps the clean batch), or `nil` if the batch was not mixed.
    public let mixed: Tensor?
    /// The number of leading rows of ``output`` that are the clean, unmixed batch: 0 unless the regularizer keeps the
    /// clean batch (``Regularizer/keepingCleanBatch(mixedLossWeight:)``).
    public let cleanCount: Int
    /// The weight η of the mixed rows' loss when ``cleanCount`` > 0.
    public let mixedLossWeight: Float

    /// Creates a result.
    public init(
        output: Tensor, targets: MixedTargets, point: MixPoint?, plan: MixPlan?, mixed: Tensor? = nil,
        cleanCount: Int = 0, mixedLossWeight: Float = 0
    ) {
        self.output = output
        self.targets = targets
        self.point = point
        self.plan = plan
        self.mixed = mixed
        self.cleanCount = cleanCount
        self.mixedLossWeight = mixedLossWeight
    }

    /// The logits of the clean rows when the regularizer keeps the clean batch, else all of ``output``.
    public var cleanOrMixedOutput: Tensor { cleanCount > 0 ? output.slice(0..<cleanCount) : output }
    /// The targets of ``cleanOrMixedOutput``'s rows.
    public var cleanOrMixedTargets: MixedTargets { cleanCount > 0 ? targets.slice(0..<cleanCount) : targets }

    /// The training loss: `perBatchLoss` (a mean over its rows) on all of ``output``, or L(clean rows) + η·L(mixed
    /// rows) when the regularizer keeps the clean batch (L(clean rows) alone when nothing was mixed).
    ///
    /// - Throws: whatever `perBatchLoss` throws.
    public func loss(_ perBatchLoss: (Tensor, MixedTargets) throws(MixingError) -> Tensor) throws(MixingError)
        -> Tensor
    {
        let total = output.shape.first ?? 0
        guard cleanCount > 0 else { return try perBatchLoss(output, targets) }
        let clean = try perBatchLoss(output.slice(0..<cleanCount), targets.slice(0..<cleanCount))
        guard cleanCount < total else { return clean }
        let mixedRows = cleanCount..<total
        return clean + (try perBatchLoss(output.slice(mixedRows), targets.slice(mixedRows))) * mixedLossWeight
    }
}
