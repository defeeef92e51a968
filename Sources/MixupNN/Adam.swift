import Foundation
@_spi(MixupEngine) import MixupTensor

/// Adam (Kingma & Ba 2015) with bias correction; with `decoupledWeightDecay` it is AdamW (Loshchilov & Hutter 2019),
/// otherwise weight decay is an L2 term added to the gradient.
public final class Adam: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    /// Exponential decay rates of the first and second moment estimates.
    public let beta1: Float, beta2: Float
    /// Added to the denominator for stability.
    public let epsilon: Float
    /// Weight decay coefficient.
    public let weightDecay: Float
    /// Whether weight decay is decoupled from the gradient (AdamW).
    public let decoupledWeightDecay: Bool
    private var firstMoments: [[Float]?]
    private var secondMoments: [[Float]?]
    private var stepCount = 0

    /// Creates the optimizer.
    ///
    /// - Precondition: `learningRate > 0`, betas in [0, 1), `weightDecay ≥ 0`.
    public init(
        parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false
    ) {
        precondition(
            learningRate > 0 && learningRate.isFinite, "Adam: learningRate must be positive, got \(learningRate)")
        precondition(
            beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam: betas must be in [0, 1), got \(beta1), \(beta2)")
        precondition(weightDecay >= 0, "Adam: weightDecay must be non-negative, got \(weightDecay)")
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        firstMoments = Array(repeating: nil, count: parameters.count)
        secondMoments = Array(repeating: nil, count: parameters.count)
    }

    /// AdamW: Adam with decoupled weight decay (default 0.01, as in PyTorch).
    public static func adamW(parameters: [Parameter], learningRate: Float = 1e-3, weightDecay: Float = 0.01) -> Adam {
        Adam(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    public func step() {
        stepCount += 1
        let lr = learningRate, b1 = beta1, b2 = beta2, eps = epsilon, wd = weightDecay, decoupled = decoupledWeightDecay
        let correction1 = 1 - Float(Foundation.pow(Double(b1), Double(stepCount)))
        let correction2 = 1 - Float(Foundation.pow(Double(b2), Double(stepCount)))
        for (index, parameter) in parameters.enumerated() {
            guard let gradient = parameter.gradient else { continue }
            var theta = parameter.value.scalars
            // Taken out of the optimizer's storage so that the buffers are uniquely referenced: updated in place.
            var m = firstMoments[index] ?? [Float](repeating: 0, count: theta.count)
            var v = secondMoments[index] ?? [Float](repeating: 0, count: theta.count)
            firstMoments[index] = nil
            secondMoments[index] = nil
            let count = theta.count
            theta.withUnsafeMutableBufferPointer { t in
                m.withUnsafeMutableBufferPointer { mb in
                    v.withUnsafeMutableBufferPointer { vb in
                        gradient.scalars.withUnsafeBufferPointer { gb in
                            guard count > 0 else { return }
                            let tp = t.baseAddress!, mp = mb.baseAddress!, vp = vb.baseAddress!, g = gb.baseAddress!
                            // Elementwise, so the chunking (by thread count) does not change any result.
                            Parallel.forEachChunk(count, costPerItem: 8) { range in
                                for i in range {
                                    var d = g[i]
                                    if decoupled { tp[i] -= lr * wd * tp[i] } else { d += wd * tp[i] }
                                    mp[i] = b1 * mp[i] + (1 - b1) * d
                                    vp[i] = b2 * vp[i] + (1 - b2) * d * d
                                    let mHat = mp[i] / correction1
                                    let vHat = vp[i] / correction2
                                    tp[i] -= lr * mHat / (vHat.squareRoot() + eps)
                                }
                            }
                        }
                    }
                }
            }
            firstMoments[index] = m
            secondMoments[index] = v
            parameter.value = Tensor(shape: parameter.value.shape, scalars: theta)
        }
    }

    public func state() -> [String: Tensor] {
        var result: [String: Tensor] = ["step": Tensor(Float(stepCount))]
        for index in parameters.indices {
            let shape = parameters[index].value.shape
            if let m = firstMoments[index] { result["m.\(index)"] = Tensor(shape: shape, scalars: m) }
            if let v = secondMoments[index] { result["v.\(index)"] = Tensor(shape: shape, scalars: v) }
        }
        return result
    }

    public func load(state: [String: Tensor]) throws(OptimizerStateError) {
        stepCount = Int(try restoreSlot(state, "step", shape: []).scalar)
        for (index, parameter) in parameters.enumerated() {
            let shape = parameter.value.shape
            firstMoments[index] =
                state["m.\(index)"] == nil ? nil : try restoreSlot(state, "m.\(index)", shape: shape).scalars
            secondMoments[index] =
                state["v.\(index)"] == nil ? nil : try restoreSlot(state, "v.\(index)", shape: shape).scalars
        }
    }
}
