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
    /// Builds a freshly initialised model (throwing for a setting the model cannot take).
    public var model: @Sendable (inout SeededGenerator) throws -> any MixableModel
    /// Models for particular entries of ``comparison``, keyed by the regularizer's name; the others (and
    /// `--strategy` runs) use ``model``. For a comparison whose variant changes the network rather than the mixing,
    /// such as "ERM + dropout" next to ERM and Mixup (Zhang et al. 2018, Table 2); `mixup analyze` rebuilds a run's
    /// network from the same entry (by the strategy name saved with the checkpoint). Empty by default.
    public var variantModels: [String: @Sendable (inout SeededGenerator) throws -> any MixableModel] = [:]
    /// Builds the model from the recipe's flag values (``RunOptions/recipeFlags``; `mixup analyze` passes those saved
    /// with the checkpoint), for a network chosen by a recipe flag; when set, it replaces ``model`` (not the entries of
    /// ``variantModels``). `nil` by default.
    public var configuredModel: (@Sendable ([String: String], inout SeededGenerator) throws -> any MixableModel)? = nil
    /// The per-sample shape the model expects (e.g. `[1, 28, 28]`), checked against the data before training; `nil`
    /// skips the check.
    public var sampleShape: [Int]?
    /// The default regularizer (replaced by `--strategy`).
    public var regularizer: Regularizer
    /// When not empty and no `--strategy` is given, each of these is trained in turn and compared in a table.
    public var comparison: [Regularizer]
    /// Builds the training objective for a regularizer (default: supervised cross-entropy).
    public var objective: @Sendable (Regularizer, RunOptions) throws -> any TrainingObjective
    /// The optimizer (a built-in helper such as `.sgd(…)`, or any ``Optimizer`` through `.custom`).
    public var optimizer: OptimizerSettings
    /// The learning-rate schedule (a built-in helper such as `.cosine`, or any ``LearningRateSchedule``).
    public var schedule: ScheduleSettings
    /// Flags this recipe adds to `mixup run` (their values arrive in ``DataRequest/flags`` and
    /// ``RunOptions/recipeFlags``).
    public var flags: [RecipeFlag]
    /// Trainer hooks for each trained model (e.g. a step logger), built from the run's options.
    public var hooks: (@Sendable (RunOptions) -> TrainingHooks)?
    /// Default epochs, batch size and unlabelled batch size.
    public var epochs: Int, batchSize: Int, unlabelledBatchSize: Int?
    /// Evaluate on the test set, and write the checkpoint, every this many epochs (and after the last).
    public var evaluationInterval: Int
    /// Batch augmentation for training inputs.
    public var augmentation: (@Sendable (Tensor, inout SeededGenerator) -> Tensor)?
    /// Builds the batch augmentation from the run's options (e.g. from a recipe flag setting its strength); when set,
    /// its result — `nil` for none — replaces ``augmentation``. `nil` by default.
    public var configuredAugmentation:
        (@Sendable (RunOptions) throws -> (@Sendable (Tensor, inout SeededGenerator) -> Tensor)?)? = nil
    /// Called after all runs with the trained models, to write plots or extra reports.
    public var report: (@Sendable (RecipeReport) throws -> Void)?

    /// Creates a recipe.
    public init(
        name: String, summary: String, data: @escaping @Sendable (DataRequest) throws -> RecipeData,
        model: @escaping @Sendable (inout SeededGenerator) throws -> any MixableModel, sampleShape: [Int]? = nil,
        regularizer: Regularizer = .erm,
        comparison: [Regularizer] = [],
        objective: @escaping @Sendable (Regularizer, RunOptions) throws -> any TrainingObjective = { regularizer, _ in
            SupervisedObjective(regularizer: regularizer)
        },
        optimizer: OptimizerSettings = .sgd(learningRate: 0.1, momentum: 0.9, nesterov: false, weightDecay: 1e-4),
        schedule: ScheduleSettings = .cosine, epochs: Int = 10, batchSize: Int = 128, unlabelledBatchSize: Int? = nil,
        evaluationInterval: Int = 1, augmentation: (@Sendable (Tensor, inout SeededGenerator) -> Tensor)? = nil,
        flags: [RecipeFlag] = [], hooks: (@Sendable (RunOptions) -> TrainingHooks)? = nil,
        report: (@Sendable (RecipeReport) throws -> Void)? = nil
    ) {
        self.name = name
        self.summary = summary
        self.data = data
        self.model = model
        self.sampleShape = sampleShape
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
        self.flags = flags
        self.hooks = hooks
        self.report = report
    }
}

extension Recipe {
    /// A freshly initialised model for a run of `regularizerName` with the recipe flag values `flags`: the
    /// ``variantModels`` entry of that name, else ``configuredModel``, else ``model``.
    func makeModel(
        regularizerName: String?, flags: [String: String], using generator: inout SeededGenerator
    ) throws -> any MixableModel {
        if let name = regularizerName, let variant = variantModels[name] { return try variant(&generator) }
        if let configuredModel { return try configuredModel(flags, &generator) }
        return try model(&generator)
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
    /// Held-out *training* samples (never trained on) for choosing hyper-parameters and settings after training
    /// (e.g. the temperature of temperature scaling in `mixup analyze`); its error is reported in the run summary as
    /// `validation_error`. `nil` when the recipe holds none out.
    public var validation: Dataset?

    /// Creates the data.
    public init(train: Dataset, unlabelled: Dataset? = nil, test: Dataset? = nil, validation: Dataset? = nil) {
        self.train = train
        self.unlabelled = unlabelled
        self.test = test
        self.validation = validation
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
    /// Where the report's own notes go (e.g. "wrote decision_boundaries.svg").
    public let reporter: any RunReporter
    /// The options of the run (seed, data path, the recipe's own flags, …).
    public var options = RunOptions()
}

extension RecipeData {
    /// Every split with more than `limit` samples cut to `limit` of them (`nil`: unchanged), chosen by a generator
    /// seeded with `seed` and kept in their original order — so a class-sorted split keeps its classes. This is what
    /// the runner applies for `--limit`.
    public func limited(to limit: Int?, seed: UInt64 = 0) -> RecipeData {
        guard let limit else { return self }
        func cut(_ set: Dataset) -> Dataset {
            guard set.count > limit else { return set }
            var generator = SeededGenerator(seed: seed ^ 0x5EED_0F11_A175)
            return set.subset(Array(generator.nextPermutation(set.count).prefix(limit)).sorted())
        }
        return RecipeData(
            train: cut(train), unlabelled: unlabelled.map(cut), test: test.map(cut), validation: validation.map(cut))
    }
}
