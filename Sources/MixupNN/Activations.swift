import MixupTensor

/// Rectified linear unit, `max(x, 0)`, any shape.
public final class ReLU: Layer {
    /// Creates the activation.
    public init() {}
    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor { input.relu() }
    public func copy() -> ReLU { ReLU() }
}

/// Leaky ReLU: `x` for positive inputs, `slope · x` otherwise; any shape.
public final class LeakyReLU: Layer {
    /// The slope for negative inputs.
    public let slope: Float
    /// Creates the activation.
    public init(slope: Float = 0.01) { self.slope = slope }
    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        input.leakyRelu(slope: slope)
    }
    public func copy() -> LeakyReLU { LeakyReLU(slope: slope) }
}

/// Hyperbolic tangent, any shape.
public final class Tanh: Layer {
    /// Creates the activation.
    public init() {}
    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor { input.tanh() }
    public func copy() -> Tanh { Tanh() }
}

/// Logistic sigmoid, any shape.
public final class Sigmoid: Layer {
    /// Creates the activation.
    public init() {}
    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor { input.sigmoid() }
    public func copy() -> Sigmoid { Sigmoid() }
}
