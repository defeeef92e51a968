import MixupTensor

/// Max pooling over `[batch, channels, height, width]` with a square window.
public final class MaxPool2D: Layer {
    /// Window side.
    public let kernelSize: Int
    /// Window step (defaults to the window side).
    public let stride: Int
    /// Padding on each side.
    public let padding: Int
    /// Creates the layer.
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }
    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        input.maxPool2d(kernelSize: kernelSize, stride: stride, padding: padding)
    }
}

/// Average pooling over `[batch, channels, height, width]` with a square window.
public final class AvgPool2D: Layer {
    /// Window side.
    public let kernelSize: Int
    /// Window step (defaults to the window side).
    public let stride: Int
    /// Padding on each side.
    public let padding: Int
    /// Creates the layer.
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }
    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        input.avgPool2d(kernelSize: kernelSize, stride: stride, padding: padding)
    }
}

/// Global average pooling: `[batch, channels, height, width]` → `[batch, channels]`.
public final class GlobalAvgPool: Layer {
    /// Creates the layer.
    public init() {}
    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        // Not `input.globalAveragePooled()`: it reduces through `sum(alongAxes:)`, whose result currently carries no
        // gradient (MixupTensor's `summed(toShape:)` does not record a pullback), so nothing before this layer
        // would train. A product with a constant column of 1/(h·w) is the same mean and is differentiable.
        precondition(input.rank == 4, "GlobalAvgPool: expected [batch, channels, height, width], got \(input.shape)")
        let (batch, channels, area) = (input.shape[0], input.shape[1], input.shape[2] * input.shape[3])
        precondition(area > 0, "GlobalAvgPool: empty spatial extent in \(input.shape)")
        let planes = input.reshaped(to: [batch * channels, area])
        let weights = Tensor.filled([area, 1], with: 1 / Float(area))
        return Tensor.matmul(planes, weights).reshaped(to: [batch, channels])
    }
}

/// Flattens every axis after the batch axis: `[batch, ...]` → `[batch, features]`.
public final class Flatten: Layer {
    /// Creates the layer.
    public init() {}
    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor { input.flattenedBatch() }
}
