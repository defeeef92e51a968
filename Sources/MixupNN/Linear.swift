import MixupTensor

/// A fully connected layer: `y = x · Wᵀ + b`.
///
/// Shapes: input `[batch, inputSize]`, weight `[outputSize, inputSize]` (PyTorch's layout, so checkpoints load in
/// either library), bias `[outputSize]`, output `[batch, outputSize]`.
public final class Linear: Layer {
    /// `[outputSize, inputSize]`.
    public let weight: Parameter
    /// `[outputSize]`, or `nil` without bias.
    public let bias: Parameter?

    /// Creates a layer with weights drawn by `initialization` and a zero bias.
    public init(
        inputSize: Int, outputSize: Int, hasBias: Bool = true, initialization: WeightInitialization = .kaimingUniform,
        using generator: inout some RandomNumberGenerator
    ) {
        precondition(
            inputSize > 0 && outputSize > 0, "Linear: sizes must be positive, got \(inputSize) → \(outputSize)")
        weight = Parameter(
            initialization.sample([outputSize, inputSize], fanIn: inputSize, fanOut: outputSize, using: &generator),
            name: "weight")
        bias = hasBias ? Parameter(.zeros([outputSize]), name: "bias") : nil
    }

    private init(weight: Parameter, bias: Parameter?) {
        self.weight = weight
        self.bias = bias
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public func copy() -> Linear { Linear(weight: weight.copy(), bias: bias?.copy()) }

    /// `[batch, inputSize]` → `[batch, outputSize]`.
    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        precondition(
            input.rank == 2 && input.shape[1] == weight.value.shape[1],
            "Linear: expected input [batch, \(weight.value.shape[1])], got \(input.shape)")
        let product = Tensor.matmul(input, weight.tracked, transposeB: true)
        guard let bias else { return product }
        return product + bias.tracked
    }
}
