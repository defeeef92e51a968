import MixupTensor

/// A differentiable building block of a network.
///
/// Layers are reference types: they own ``Parameter``s (and, for batch normalisation, running statistics) that
/// optimizers and checkpoints update in place. Conform by implementing ``callAsFunction(_:context:)`` and listing
/// the layer's own ``parameters``; containers also list their ``children``.
public protocol Layer: AnyObject {
    /// Applies the layer to `input`. Shapes are documented per layer.
    func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor

    /// The layer's own trainable parameters (not its children's), each with a local name such as `"weight"`.
    var parameters: [Parameter] { get }

    /// The layer's own non-trainable state saved in checkpoints (e.g. BatchNorm running statistics). Default: none.
    var buffers: [Parameter] { get }

    /// Sub-layers with their names, for containers. Default: none.
    var children: [(name: String, layer: any Layer)] { get }

    /// A deep copy: a new layer of the same architecture and configuration whose parameters and buffers hold the same
    /// values in independent storage (training one never changes the other). Gradients are not copied.
    ///
    /// Every built-in layer and model implements it; EMA teachers and EMA evaluation are made with it. Default:
    /// throws ``LayerCopyError/notCopyable(layerType:)`` naming the type, for layers written before copies existed.
    func copy() throws(LayerCopyError) -> Self
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var buffers: [Parameter] { [] }
    public var children: [(name: String, layer: any Layer)] { [] }

    public func copy() throws(LayerCopyError) -> Self {
        throw .notCopyable(layerType: String(describing: type(of: self)))
    }

    /// Every trainable parameter of this layer and its descendants, with dotted names (`"0.weight"`).
    ///
    /// The order is stable (own parameters first, then children in order), so optimizers and checkpoints agree.
    public func namedParameters(prefix: String = "") -> [(name: String, parameter: Parameter)] {
        var result = parameters.map { (prefix + $0.name, $0) }
        for child in children { result += child.layer.namedParameters(prefix: prefix + child.name + ".") }
        return result
    }

    /// Every buffer of this layer and its descendants, with dotted names.
    public func namedBuffers(prefix: String = "") -> [(name: String, buffer: Parameter)] {
        var result = buffers.map { (prefix + $0.name, $0) }
        for child in children { result += child.layer.namedBuffers(prefix: prefix + child.name + ".") }
        return result
    }

    /// Every trainable parameter of this layer and its descendants.
    public var allParameters: [Parameter] { namedParameters().map(\.parameter) }

    /// The number of trainable scalars.
    public var parameterCount: Int { allParameters.reduce(0) { $0 + $1.value.count } }

    /// Applies the layer in inference mode (no dropout, running statistics), without recording gradients.
    public func inferring(_ input: Tensor) -> Tensor {
        var context = ForwardContext.inference
        return withoutGradients { self(input, context: &context) }
    }
}
