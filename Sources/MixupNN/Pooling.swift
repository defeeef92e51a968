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
    public func copy() -> MaxPool2D { MaxPool2D(kernelSize: kernelSize, stride: stride, padding: padding) }
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
    public func copy() -> AvgPool2D { AvgPool2D(kernelSize: kernelSize, stride: stride, padding: padding) }
}

/// Global average pooling: `[batch, channels, height, width]` → `[batch, channels]`.
public final class GlobalAvgPool: Layer {
    /// Creates the layer.
    public init() {}
    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        input.globalAveragePooled()
    }
    public func copy() -> GlobalAvgPool { GlobalAvgPool() }
}

/// Flattens every axis after the batch axis: `[batch, ...]` → `[batch, features]`.
public final class Flatten: Layer {
    /// Creates the layer.
    public init() {}
    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor { input.flattenedBatch() }
    public func copy() -> Flatten { Flatten() }
}
