/// An n-dimensional array of 32-bit floats with value semantics and reverse-mode automatic differentiation.
///
/// Storage is contiguous and row-major (the last axis varies fastest). Copies are cheap: the element buffer is a Swift
/// array, shared until one copy is mutated (copy-on-write). Image tensors use `[batch, channels, height, width]`.
///
/// A tensor produced by an operation on a tracked tensor (a ``Parameter``'s ``Parameter/tracked`` value, or anything
/// computed from one) remembers how it was made, so that ``backward()`` on a scalar result accumulates gradients into
/// the parameters. Use ``detached()`` or ``withoutGradients(_:)`` for values that must not carry gradients.
public struct Tensor {
    /// The extent of each axis. `[]` is a scalar.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public internal(set) var scalars: [Float]
    /// The autodiff record of how this tensor was computed, or `nil` for a constant.
    var node: GradNode?

    /// Creates a tensor from row-major `scalars` and a `shape`.
    ///
    /// - Precondition: every extent is non-negative and `scalars.count` equals the product of `shape`.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
        let count = shape.reduce(1, *)
        precondition(
            scalars.count == count, "Tensor: \(scalars.count) scalars do not fill shape \(shape) (\(count) elements)")
        self.shape = shape
        self.scalars = scalars
        self.node = nil
    }

    init(shape: [Int], scalars: [Float], node: GradNode?) {
        self.shape = shape
        self.scalars = scalars
        self.node = node
    }

    /// A rank-0 tensor holding `value`.
    public init(_ value: Float) {
        self.init(shape: [], scalars: [value])
    }

    /// A rank-1 tensor holding `values`.
    public init(_ values: [Float]) {
        self.init(shape: [values.count], scalars: values)
    }

    /// The number of axes.
    public var rank: Int { shape.count }
    /// The number of elements.
    public var count: Int { scalars.count }
    /// Whether gradients flow back through this tensor.
    public var requiresGradient: Bool { node != nil }

    /// The single element of a one-element tensor.
    ///
    /// - Precondition: `count == 1`.
    public var scalar: Float {
        precondition(count == 1, "scalar: tensor of shape \(shape) has \(count) elements, expected 1")
        return scalars[0]
    }

    /// The element at a full multi-index.
    public subscript(indices: Int...) -> Float {
        precondition(indices.count == rank, "subscript: \(indices.count) indices for a tensor of shape \(shape)")
        var offset = 0
        for (axis, index) in indices.enumerated() {
            precondition(
                index >= 0 && index < shape[axis], "subscript: index \(index) out of range for axis \(axis) of \(shape)"
            )
            offset = offset * shape[axis] + index
        }
        return scalars[offset]
    }

    /// The same values with no autodiff history: gradients do not flow through the result.
    public func detached() -> Tensor {
        Tensor(shape: shape, scalars: scalars, node: nil)
    }

    /// A description of the tensor's shape, for error messages.
    public var shapeDescription: String { "\(shape)" }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(preview)\(count > 8 ? ", …" : "")])"
    }
}

/// Row-major strides of a shape.
@inline(__always)
func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var running = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[axis] = running
        running *= shape[axis]
    }
    return strides
}
