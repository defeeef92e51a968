import MixupTensor

/// What a forward pass needs besides its input: the mode and a generator for stochastic layers.
///
/// Passed `inout` through every layer, so there is no global training flag and no global generator: the same
/// context seed reproduces the same dropout masks.
public struct ForwardContext {
    /// `true` while training: dropout is active and batch normalisation uses (and updates) batch statistics.
    public var isTraining: Bool
    /// The generator for dropout and any other randomness inside the network.
    public var generator: SeededGenerator

    /// Creates a context.
    public init(isTraining: Bool, generator: SeededGenerator = SeededGenerator(seed: 0)) {
        self.isTraining = isTraining
        self.generator = generator
    }

    /// A context for evaluation (no dropout, running BatchNorm statistics).
    public static var inference: ForwardContext { ForwardContext(isTraining: false) }
}
