import MixupTensor

/// The batch a strategy is about to mix, for data-aware strategies (saliency-guided boxes, label-aware partners).
///
/// ``Regularizer`` builds one per mixed batch and passes it to ``MixingStrategy/plan(for:using:)``.
public struct MixingBatch {
    /// The tensor that will be mixed, `[batch] + sampleShape`: the input, or the hidden state at ``point``.
    public let values: Tensor
    /// `[batch, classes]` targets of the batch, when known.
    public let labels: Tensor?
    /// Where the batch is mixed.
    public let point: MixPoint
    /// The model input (`[batch, ...]`; the same as ``values`` at the input), when known.
    public let input: Tensor?
    /// The model being trained, for strategies that need it (e.g. input-gradient saliency); `nil` outside training.
    public let model: (any MixableModel)?

    /// Creates a batch description.
    public init(
        values: Tensor, labels: Tensor? = nil, point: MixPoint = .input, input: Tensor? = nil,
        model: (any MixableModel)? = nil
    ) {
        self.values = values
        self.labels = labels
        self.point = point
        self.input = input
        self.model = model
    }

    /// The number of samples.
    public var batchSize: Int { values.shape.first ?? 0 }
    /// The shape of one sample (without the batch axis).
    public var sampleShape: [Int] { Array(values.shape.dropFirst()) }
}
