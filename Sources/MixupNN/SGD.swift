@_spi(MixupEngine) import MixupTensor

/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, as in PyTorch:
/// g ← ∇ + wd·θ; v ← μ·v + g; θ ← θ − lr·(nesterov ? g + μ·v : v).
public final class SGD: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    /// Momentum coefficient μ ∈ [0, 1).
    public let momentum: Float
    /// Use Nesterov's look-ahead form.
    public let nesterov: Bool
    /// L2 penalty added to the gradient.
    public let weightDecay: Float
    private var velocities: [[Float]?]

    /// Creates the optimizer.
    ///
    /// - Precondition: `learningRate > 0`, `momentum` ∈ [0, 1), `weightDecay ≥ 0`, and Nesterov needs momentum.
    public init(
        parameters: [Parameter], learningRate: Float, momentum: Float = 0, nesterov: Bool = false,
        weightDecay: Float = 0
    ) {
        precondition(
            learningRate > 0 && learningRate.isFinite, "SGD: learningRate must be positive, got \(learningRate)")
        precondition(momentum >= 0 && momentum < 1, "SGD: momentum must be in [0, 1), got \(momentum)")
        precondition(weightDecay >= 0, "SGD: weightDecay must be non-negative, got \(weightDecay)")
        precondition(!nesterov || momentum > 0, "SGD: Nesterov momentum needs momentum > 0")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        velocities = Array(repeating: nil, count: parameters.count)
    }

    public func step() {
        let lr = learningRate, mu = momentum, wd = weightDecay, useNesterov = nesterov
        for (index, parameter) in parameters.enumerated() {
            guard let gradient = parameter.gradient else { continue }
            let old = parameter.value.scalars
            let count = old.count
            // Take the velocity out of the array so that it is updated in place (no copy-on-write).
            let isFirst = velocities[index] == nil
            var velocity: [Float] = []
            if mu > 0 {
                if isFirst {
                    velocity = [Float](repeating: 0, count: count)
                } else {
                    swap(&velocity, &velocities[index]!)
                    velocities[index] = nil
                }
            }
            // The new values go to a fresh buffer: the old one is usually still shared with the autodiff graph of
            // the step, so updating it in place would copy it first anyway.
            let theta = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                old.withUnsafeBufferPointer { tb in
                    gradient.scalars.withUnsafeBufferPointer { gb in
                        velocity.withUnsafeMutableBufferPointer { vb in
                            let t = tb.baseAddress!, g = gb.baseAddress!, out = buffer.baseAddress!
                            let v = vb.baseAddress
                            // Elementwise: split across threads (one pass over θ, g and v; large layers do not fit
                            // in cache).
                            Parallel.forEachChunk(count, costPerItem: 4) { range in
                                if mu == 0 {
                                    for i in range { out[i] = t[i] - lr * (g[i] + wd * t[i]) }
                                    return
                                }
                                let v = v!
                                if useNesterov {
                                    let keep: Float = isFirst ? 0 : mu
                                    for i in range {
                                        let d = g[i] + wd * t[i]
                                        let vi = keep * v[i] + d
                                        v[i] = vi
                                        out[i] = t[i] - lr * (d + mu * vi)
                                    }
                                } else if isFirst {
                                    for i in range {
                                        let d = g[i] + wd * t[i]
                                        v[i] = d
                                        out[i] = t[i] - lr * d
                                    }
                                } else {
                                    for i in range {
                                        let vi = mu * v[i] + (g[i] + wd * t[i])
                                        v[i] = vi
                                        out[i] = t[i] - lr * vi
                                    }
                                }
                            }
                        }
                    }
                }
                initialized = count
            }
            if mu > 0 { velocities[index] = velocity }
            parameter.value = Tensor(shape: parameter.value.shape, scalars: theta)
        }
    }

    public func state() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (index, velocity) in velocities.enumerated() {
            if let velocity {
                result["velocity.\(index)"] = Tensor(shape: parameters[index].value.shape, scalars: velocity)
            }
        }
        return result
    }

    public func load(state: [String: Tensor]) throws(OptimizerStateError) {
        for (index, parameter) in parameters.enumerated() {
            let name = "velocity.\(index)"
            velocities[index] =
                state[name] == nil ? nil : try restoreSlot(state, name, shape: parameter.value.shape).scalars
        }
    }
}
