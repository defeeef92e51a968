import MixupTensor

/// Updates parameters from their accumulated gradients.
///
/// An optimizer is bound to a fixed list of parameters at creation. The training loop calls ``step()`` after
/// `backward()`, then ``zeroGradients()``. A schedule sets ``learningRate`` before each step.
public protocol Optimizer: AnyObject {
    /// The parameters this optimizer updates, in a stable order.
    var parameters: [Parameter] { get }
    /// The step size used by the next ``step()``.
    var learningRate: Float { get set }
    /// Applies one update to every parameter that has a gradient.
    func step()
    /// The optimizer's internal state (momentum buffers, moment estimates, step count) by name, for checkpoints.
    func state() -> [String: Tensor]
    /// Restores state written by ``state()``.
    ///
    /// - Throws: ``OptimizerStateError`` when a tensor is missing or has the wrong shape.
    func load(state: [String: Tensor]) throws(OptimizerStateError)
}

extension Optimizer {
    /// Clears every parameter's gradient.
    public func zeroGradients() {
        for parameter in parameters { parameter.zeroGradient() }
    }
}

/// A checkpoint's optimizer state does not fit the optimizer being restored.
public struct OptimizerStateError: Error, CustomStringConvertible {
    /// What was wrong, naming the tensor.
    public let description: String
    /// Creates an error with a message.
    public init(_ description: String) { self.description = description }
}

/// Reads `name` from `state`, checking its shape; shared by the optimizers' `load(state:)`.
func restoreSlot(_ state: [String: Tensor], _ name: String, shape: [Int]) throws(OptimizerStateError) -> Tensor {
    guard let tensor = state[name] else { throw OptimizerStateError("optimizer state has no tensor \"\(name)\"") }
    guard tensor.shape == shape else {
        throw OptimizerStateError("optimizer state \"\(name)\" has shape \(tensor.shape), expected \(shape)")
    }
    return tensor
}
