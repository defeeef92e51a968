import MixupKit

/// The optimizer of a recipe: a base learning rate and a function that builds the optimizer over a model's
/// parameters. The built-ins are static helpers (`.sgd(…)`, `.adam(…)`); any ``Optimizer`` goes in with
/// ``custom(learningRate:_:)``.
///
/// ```swift
/// optimizer: .custom(learningRate: 0.01) { parameters in MyLion(parameters: parameters, learningRate: 0.01) }
/// ```
public struct OptimizerSettings: Sendable {
    /// The base learning rate the recipe's ``ScheduleSettings`` scales.
    public var learningRate: Float
    /// Builds the optimizer over `parameters` (a fresh one per trained model).
    public var make: @Sendable (_ parameters: [Parameter]) -> any Optimizer

    /// Settings from a base rate and a builder.
    public init(learningRate: Float, make: @escaping @Sendable (_ parameters: [Parameter]) -> any Optimizer) {
        self.learningRate = learningRate
        self.make = make
    }

    /// The optimizer over `parameters`.
    public func make(parameters: [Parameter]) -> any Optimizer { make(parameters) }

    /// A user's optimizer: `make` builds it over the model's parameters.
    public static func custom(
        learningRate: Float, _ make: @escaping @Sendable (_ parameters: [Parameter]) -> any Optimizer
    ) -> OptimizerSettings {
        OptimizerSettings(learningRate: learningRate, make: make)
    }

    /// SGD with momentum, optional Nesterov, and L2 weight decay.
    public static func sgd(learningRate: Float, momentum: Float, nesterov: Bool, weightDecay: Float)
        -> OptimizerSettings
    {
        OptimizerSettings(learningRate: learningRate) { parameters in
            SGD(
                parameters: parameters, learningRate: learningRate, momentum: momentum, nesterov: nesterov,
                weightDecay: weightDecay)
        }
    }

    /// Adam, or AdamW with decoupled weight decay.
    public static func adam(learningRate: Float, weightDecay: Float, decoupled: Bool) -> OptimizerSettings {
        OptimizerSettings(learningRate: learningRate) { parameters in
            Adam(
                parameters: parameters, learningRate: learningRate, weightDecay: weightDecay,
                decoupledWeightDecay: decoupled)
        }
    }
}
