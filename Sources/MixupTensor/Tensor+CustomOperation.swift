extension Tensor {
    /// Defines a differentiable operation of your own: its result's values plus one pullback per input.
    ///
    /// Compute the result's `scalars` however you like (loops over `scalars`, a C kernel, …); the pullbacks tell the
    /// autodiff engine how a gradient of the result maps back to each input, so ``backward()`` reaches the layers
    /// that produced the inputs. Without this, a result built from `scalars` is a constant and gradients silently
    /// stop there.
    ///
    /// Each pullback receives the gradient of the result (shape `shape`) and returns the gradient of its input (the
    /// input's shape). It is called only during ``backward()``, with gradient recording off, and only for inputs that
    /// carry gradients; when none does (or inside ``withoutGradients(_:)``) the result is a constant and nothing is
    /// recorded.
    ///
    /// Example — y = x³ elementwise, with dy/dx = 3x²:
    ///
    /// ```swift
    /// func cubed(_ x: Tensor) -> Tensor {
    ///     Tensor.differentiable(
    ///         shape: x.shape, scalars: x.scalars.map { $0 * $0 * $0 },
    ///         inputs: [(x, { gradient in gradient * x.detached().squared() * 3 })])
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - shape: the result's shape.
    ///   - scalars: the result's values, row-major; `scalars.count` is the product of `shape`.
    ///   - inputs: each input with its pullback.
    /// - Precondition: `scalars` fills `shape` (as for ``init(shape:scalars:)``); every pullback returns a tensor of
    ///   its input's shape.
    public static func differentiable(
        shape: [Int], scalars: [Float], inputs: [(Tensor, pullback: (Tensor) -> Tensor)]
    ) -> Tensor {
        precondition(
            shape.allSatisfy { $0 >= 0 } && scalars.count == shape.reduce(1, *),
            "Tensor.differentiable: \(scalars.count) scalars do not fill shape \(shape)")
        return recording(
            shape, scalars,
            inputs.map { input, pullback in
                let inputShape = input.shape
                return (
                    input,
                    { gradient in
                        let result = pullback(gradient)
                        precondition(
                            result.shape == inputShape,
                            "Tensor.differentiable: a pullback returned shape \(result.shape) for an input of shape "
                                + "\(inputShape)")
                        return result
                    }
                )
            })
    }
}
