/// A place in a network where hidden states may be mixed: a boundary between two blocks.
///
/// Boundary 0 is the input (mixing there is input Mixup); boundary k is the output of block k − 1. Models expose
/// their eligible points (layer boundaries for MLPs, residual-stage boundaries for ResNets — never inside a residual
/// branch).
public struct MixPoint: Hashable, Sendable, CustomStringConvertible {
    /// The boundary index within the model's block list.
    public let boundary: Int
    /// A readable name such as `"input"`, `"stage1"`, `"hidden2"`.
    public let name: String

    /// Creates a mix point.
    public init(boundary: Int, name: String) {
        self.boundary = boundary
        self.name = name
    }

    /// The input of the network.
    public static let input = MixPoint(boundary: 0, name: "input")

    public var description: String { "\(name)@\(boundary)" }
}
