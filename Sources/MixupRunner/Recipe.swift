import MixupKit

/// A training recipe: a dataset, a model, a regularizer and an optimizer, composed in Swift and run by
/// ``RecipeCommand`` (`mixup run <name>`).
///
/// ```swift
/// let recipe = Recipe(
///     name: "my-mlp", summary: "MLP on my CSV data",
///     data: { request in try RecipeData(train: DatasetLoaders.csv(path: request.path ?? "data.csv")) },
///     model: { generator in Models.mlp(inputSize: 4, hiddenSizes: [64], classCount: 3, using: &generator) },
///     regularizer: try .mixup(alpha: 0.4))
/// ```
/// Swapping the regularizer (`.manifoldMixup(alpha: 2)`, `.cutMix(alpha: 1)`) is a one-line change.
public struct Recipe: Sendable {
    /// The name used on the command line.
    public var name: String
    /// One line for `mixup list`.
    public var summary: String
    /// Builds the data for a run.
    public var data: @Sendable (DataRequest) throws -> RecipeData
    /// Builds a freshly initialised model.
    public var model: @Sendable (inout SeededGenerator) -> any MixableModel
    /// The default regularizer (replaced by `--strategy`).
    public var regularizer: Regularizer
    /// When not empty and no `--strategy` is given, each of these is trained in turn and compared in a table.
    public var comparison: [Regularizer]
    /// Builds the training objective for a regularizer (default: supervised cross-entropy).
    public var objective: @Sendable (Regularizer, RunOptions) throws -> any TrainingObjective
    /// The optimizer.
    public var optimizer: OptimizerSettings
    /// The learning-rate schedule.
    public var schedule: ScheduleSettings
    /// Default epochs, batch size and unlabelled batch size.
    public var epochs: Int, batchSize: Int, unlabelledBatchSize: Int?
    /// Evaluate on the test set every this many epochs (and after the last).
    public var evaluationInterval: Int
    /// Batch augmentation for training inputs.
    public var augmentation: (@Sendable (Tensor, inout SeededGenerator) -> Tensor)?
    /// Called after all runs with the trained models, to write plots or extra reports.
    public var report: (@Sendable (RecipeReport) throws -> Void)?
    /// Flags of this recipe's own, each taking one value (e.g. `["--noise": "fraction of labels to corrupt"]`):
    /// `mixup run` accepts them and hands their values to ``data`` in ``DataRequest/recipeFlags`` and to ``report``
    /// in ``RecipeReport/options``.
    public var recipeFlags: [String: String]

    /// Creates a recipe.
    public init(
        name: String, summary: String, data: @escaping @Sendable (DataRequest) throws -> RecipeData,
        model: @escaping @Sendable (inout SeededGenerator) -> any MixableModel, regularizer: Regularizer = .erm,
        comparison: [Regularizer] = [],
        objective: @escaping @Sendable (Regularizer, RunOptions) throws -> any TrainingObjective = { regularizer, _ in
            SupervisedObjective(regularizer: regularizer)
        },
        optimizer: OptimizerSettings = .sgd(learningRate: 0.1, momentum: 0.9, nesterov: false, weightDecay: 1e-4),
        schedule: ScheduleSettings = .cosine, epochs: Int = 10, batchSize: Int = 128, unlabelledBatchSize: Int? = nil,
        evaluationInterval: Int = 1, augmentation: (@Sendable (Tensor, inout SeededGenerator) -> Tensor)? = nil,
        report: (@Sendable (RecipeReport) throws -> Void)? = nil, recipeFlags: [String: String] = [:]
    ) {
        self.name = name
        self.summary = summary
        self.data = data
        self.model = model
        self.regularizer = regularizer
        self.comparison = comparison
        self.objective = objective
        self.optimizer = optimizer
        self.schedule = schedule
        self.epochs = epochs
        self.batchSize = batchSize
        self.unlabelledBatchSize = unlabelledBatchSize
        self.evaluationInterval = evaluationInterval
        self.augmentation = augmentation
        self.report = report
        self.recipeFlags = recipeFlags
    }
}

/// What a recipe's data builder is asked for.
public struct DataRequest: Sendable {
    /// The `--data` path, if given.
    public var path: String?
    /// The run's seed (for synthetic data and label subsets).
    public var seed: UInt64
    /// `--labels N`: the number of labelled samples for semi-supervised recipes.
    public var labels: Int?
    /// `--limit N`: read at most this many samples per split (smoke tests).
    public var limit: Int?
    /// The values of the recipe's own flags (``Recipe/recipeFlags``) given on the command line, by flag.
    public var recipeFlags: [String: String]

    /// Creates a request.
    public init(
        path: String? = nil, seed: UInt64 = 0, labels: Int? = nil, limit: Int? = nil,
        recipeFlags: [String: String] = [:]
    ) {
        self.path = path
        self.seed = seed
        self.labels = labels
        self.limit = limit
        self.recipeFlags = recipeFlags
    }
}

/// The datasets of a run.
public struct RecipeData: Sendable {
    /// Labelled training data.
    public var train: Dataset
    /// Unlabelled training data (semi-supervised recipes).
    public var unlabelled: Dataset?
    /// Test data.
    public var test: Dataset?
    /// Labelled data held out from training for choosing settings after training (e.g. the temperature of
    /// temperature scaling in `mixup analyze`), or `nil`.
    public var validation: Dataset?

    /// Creates the data.
    public init(train: Dataset, unlabelled: Dataset? = nil, test: Dataset? = nil, validation: Dataset? = nil) {
        self.train = train
        self.unlabelled = unlabelled
        self.test = test
        self.validation = validation
    }
}

/// The optimizer of a recipe.
public enum OptimizerSettings: Sendable {
    /// SGD with momentum, optional Nesterov, and L2 weight decay.
    case sgd(learningRate: Float, momentum: Float, nesterov: Bool, weightDecay: Float)
    /// Adam, or AdamW with decoupled weight decay.
    case adam(learningRate: Float, weightDecay: Float, decoupled: Bool)

    /// The base learning rate.
    public var learningRate: Float {
        switch self {
        case .sgd(let lr, _, _, _), .adam(let lr, _, _): lr
        }
    }

    /// The optimizer over `parameters`.
    public func make(parameters: [Parameter]) -> any Optimizer {
        switch self {
        case .sgd(let lr, let momentum, let nesterov, let weightDecay):
            SGD(
                parameters: parameters, learningRate: lr, momentum: momentum, nesterov: nesterov,
                weightDecay: weightDecay)
        case .adam(let lr, let weightDecay, let decoupled):
            Adam(parameters: parameters, learningRate: lr, weightDecay: weightDecay, decoupledWeightDecay: decoupled)
        }
    }
}

/// The learning-rate schedule of a recipe, relative to its base rate.
public enum ScheduleSettings: Sendable {
    /// The base rate throughout.
    case constant
    /// Cosine decay to zero over the run.
    case cosine
    /// ×0.1 at each fraction of the run (e.g. [0.5, 0.75], the Mixup paper's epochs 100 and 150 of 200).
    case multiStep([Double])
    /// Linear warm-up over the first `steps`, then cosine decay.
    case warmupCosine(steps: Int)

    /// The schedule for a run of `totalSteps` steps at base rate `rate`.
    public func make(rate: Float, totalSteps: Int) -> any LearningRateSchedule {
        switch self {
        case .constant: ConstantLearningRate(rate)
        case .cosine: CosineDecay(initial: rate)
        case .multiStep(let fractions):
            MultiStepDecay(initial: rate, milestones: fractions.map { Int($0 * Double(totalSteps)) })
        case .warmupCosine(let steps): LinearWarmup(CosineDecay(initial: rate), warmupSteps: steps)
        }
    }
}

/// The trained models of a recipe run, for plots and extra reports.
public struct RecipeReport {
    /// Where outputs go.
    public let outputDirectory: String
    /// The data the run used.
    public let data: RecipeData
    /// One entry per trained regularizer, in order.
    public let runs: [(regularizer: Regularizer, model: any MixableModel, result: TrainingResult)]
    /// The options of the run (seed, data path, the recipe's own flags, …).
    public let options: RunOptions
}
