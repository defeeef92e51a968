import MixupNN
import MixupTensor

/// A network that can be run in two parts around a mix point, which is what Manifold Mixup (Verma et al. 2019) and
/// every hidden-layer mixing strategy need.
public protocol MixableModel: Layer {
    /// The points where mixing is allowed, in forward order. The first is ``MixPoint/input``.
    var mixPoints: [MixPoint] { get }

    /// Runs the network from mix point `start` to mix point `end` (`nil`: to the output).
    ///
    /// `forward(x, from: .input, to: p)` gives the hidden state at `p`; `forward(h, from: p, to: nil)` finishes the
    /// pass. Their composition equals the full forward pass.
    func forward(_ input: Tensor, from start: MixPoint, to end: MixPoint?, context: inout ForwardContext) -> Tensor
}

extension MixableModel {
    /// The full forward pass.
    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        forward(input, from: .input, to: nil, context: &context)
    }

    /// The eligible point with this name.
    ///
    /// - Throws: ``MixingError/unknownMixPoint(name:eligible:)`` listing the available names when there is none.
    public func mixPoint(named name: String) throws(MixingError) -> MixPoint {
        guard let point = mixPoints.first(where: { $0.name == name }) else {
            throw .unknownMixPoint(name: name, eligible: mixPoints.map(\.name))
        }
        return point
    }
}

/// A `Sequential` whose boundaries listed in `mixPoints` are eligible for mixing.
///
/// Built-in models (MLP, CNN, pre-activation ResNet) are `MixableSequential`s whose blocks are whole layers or whole
/// residual stages, so a mix point never falls inside a residual branch.
public final class MixableSequential: MixableModel {
    /// The blocks.
    public let body: Sequential
    public let mixPoints: [MixPoint]

    /// Creates a model from blocks and the names of the eligible boundaries (`boundary: name`; 0 is the input).
    ///
    /// - Precondition: boundaries are within `0...blocks.count` and include 0.
    public init(_ blocks: [any Layer], mixPoints: [MixPoint]) {
        precondition(
            mixPoints.allSatisfy { $0.boundary >= 0 && $0.boundary <= blocks.count },
            "MixableSequential: mix points \(mixPoints) outside 0...\(blocks.count)")
        precondition(
            mixPoints.first == .input, "MixableSequential: the first mix point must be .input, got \(mixPoints)")
        body = Sequential(blocks)
        self.mixPoints = mixPoints.sorted { $0.boundary < $1.boundary }
    }

    public var children: [(name: String, layer: any Layer)] { body.children }

    public func copy() throws(LayerCopyError) -> MixableSequential {
        MixableSequential(try body.copy().layers, mixPoints: mixPoints)
    }

    public func forward(_ input: Tensor, from start: MixPoint, to end: MixPoint?, context: inout ForwardContext)
        -> Tensor
    {
        body.forward(input, from: start.boundary, to: end?.boundary ?? body.layers.count, context: &context)
    }
}
