import MixupTensor

/// Layers applied in order, stored in an array so that a forward pass can stop after layer k and resume from k —
/// the split Manifold Mixup needs to mix hidden states.
///
/// Boundary `k` is the point before layer `k`: boundary 0 is the input, boundary `layers.count` the output.
public final class Sequential: Layer {
    /// The layers, applied in order.
    public private(set) var layers: [any Layer]

    /// Creates a container of `layers`.
    public init(_ layers: [any Layer]) {
        self.layers = layers
    }

    public var children: [(name: String, layer: any Layer)] {
        layers.enumerated().map { ("\($0.offset)", $0.element) }
    }

    public func copy() throws(LayerCopyError) -> Sequential {
        var copies: [any Layer] = []
        for layer in layers { copies.append(try layer.copy()) }
        return Sequential(copies)
    }

    /// Applies every layer.
    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        forward(input, from: 0, to: layers.count, context: &context)
    }

    /// Applies layers `start..<end`: the input is the hidden state at boundary `start`, the result the one at `end`.
    ///
    /// - Precondition: `0 ≤ start ≤ end ≤ layers.count`.
    public func forward(_ input: Tensor, from start: Int, to end: Int, context: inout ForwardContext) -> Tensor {
        precondition(
            start >= 0 && start <= end && end <= layers.count,
            "Sequential.forward: boundaries \(start)..<\(end) are not within 0...\(layers.count)")
        var x = input
        for index in start..<end { x = layers[index](x, context: &context) }
        return x
    }
}
