import MixupNN
import MixupTensor

/// Projected gradient descent on the loss (Madry et al. 2018), L∞: from a random start in the ε-ball, `steps`
/// signed-gradient steps of size `stepSize`, each followed by projection onto the ε-ball around the clean input and
/// onto the valid range.
public struct PGDAttack: AdversarialAttack {
    public let epsilon: Float
    /// The number of gradient steps.
    public let steps: Int
    /// The size of each signed step.
    public let stepSize: Float
    /// Whether to start from a uniform random point of the ε-ball (otherwise from the clean input).
    public let randomStart: Bool
    public var name: String { "pgd(steps: \(steps), step: \(stepSize))" }

    /// Creates the attack.
    ///
    /// - Throws: ``AnalysisError/invalidSetting(name:value:expected:)`` for ε < 0, `steps` < 1 or a step size ≤ 0.
    public init(epsilon: Float, steps: Int = 10, stepSize: Float? = nil, randomStart: Bool = true)
        throws(AnalysisError)
    {
        guard epsilon >= 0, epsilon.isFinite else {
            throw .invalidSetting(name: "epsilon", value: "\(epsilon)", expected: "a finite number ≥ 0")
        }
        guard steps >= 1 else { throw .invalidSetting(name: "steps", value: "\(steps)", expected: "at least 1") }
        let size = stepSize ?? 2.5 * epsilon / Float(steps)
        guard size >= 0, size.isFinite else {
            throw .invalidSetting(name: "stepSize", value: "\(size)", expected: "a finite number ≥ 0")
        }
        self.epsilon = epsilon
        self.steps = steps
        self.stepSize = size
        self.randomStart = randomStart
    }

    public func perturb(
        _ inputs: Tensor, labels: [Int], model: any Layer, validRange: ClosedRange<Float>,
        using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        guard epsilon > 0 else { return inputs.detached() }
        let clean = inputs.scalars
        let classCount = outputWidth(of: model, for: inputs)
        func project(_ value: Float, _ index: Int) -> Float {
            let lower = max(clean[index] - epsilon, validRange.lowerBound)
            let upper = min(clean[index] + epsilon, validRange.upperBound)
            return min(max(value, lower), upper)
        }
        var values = clean
        if randomStart {
            for i in values.indices {
                values[i] = project(clean[i] + Float(generator.nextUniform(Double(-epsilon), Double(epsilon))), i)
            }
        }
        for _ in 0..<steps {
            let current = Tensor(shape: inputs.shape, scalars: values)
            let gradient = inputGradient(of: model, at: current, labels: labels, classCount: classCount).gradient
            for i in values.indices { values[i] = project(values[i] + stepSize * sign(gradient.scalars[i]), i) }
        }
        return Tensor(shape: inputs.shape, scalars: values)
    }
}
