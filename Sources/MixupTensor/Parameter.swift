/// A trainable tensor owned by a layer, with the gradient accumulated by ``Tensor/backward()``.
///
/// Layers read ``tracked`` in their forward pass; optimizers update ``value`` from ``gradient`` and then clear it.
public final class Parameter {
    /// The current value. Never carries autodiff history.
    public var value: Tensor {
        didSet { value.node = nil }
    }
    /// The sum of gradients from every ``Tensor/backward()`` since the last ``zeroGradient()``, or `nil` if none.
    public var gradient: Tensor?
    /// A name for checkpoints and error messages, e.g. `"layers.0.weight"` once a model names its parameters.
    public var name: String

    /// Creates a parameter holding `value`.
    public init(_ value: Tensor, name: String = "") {
        self.value = value.detached()
        self.name = name
    }

    /// The value as a tracked tensor: operations on it record the graph so gradients reach this parameter.
    /// Inside ``withoutGradients(_:)`` it is a plain constant.
    public var tracked: Tensor {
        if GradientMode.isDisabled { return value }
        return Tensor(shape: value.shape, scalars: value.scalars, node: GradNode(leafFor: self))
    }

    /// A new parameter with the same value and name and no gradient (for copies of layers).
    public func copy() -> Parameter { Parameter(value, name: name) }

    /// Forgets the accumulated gradient.
    public func zeroGradient() { gradient = nil }

    func accumulate(_ g: Tensor) {
        precondition(
            g.shape == value.shape, "gradient of shape \(g.shape) for parameter \(name) of shape \(value.shape)")
        if var existing = gradient {
            gradient = nil  // so that the accumulator's buffer is uniquely referenced and summed in place
            addArraysInPlace(&existing.scalars, g.scalars)
            gradient = existing
        } else {
            gradient = g.detached()
        }
    }
}
