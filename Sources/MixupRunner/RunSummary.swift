/// What `mixup run` prints as its last line (one JSON object) and ``RecipeCommand/execute(_:options:strategies:reporter:)``
/// returns. JSON keys are snake_case; the README's "Run summary and metrics.jsonl formats" lists every field.
public struct RunSummary: Codable, Equatable, Sendable {
    /// The recipe's name.
    public var recipe: String
    /// The trained strategies joined by `+` (e.g. `erm+manifold-mixup` for a comparison).
    public var strategy: String
    /// The run's seed.
    public var seed: UInt64
    /// Epochs per trained model.
    public var epochs: Int
    /// Labelled samples per step.
    public var batchSize: Int
    /// `--limit`, when given.
    public var limit: Int?
    /// `--labels`, when given.
    public var labels: Int?
    /// `--steps`, when given (the run stopped early; the schedule still spans the full epochs).
    public var maximumSteps: Int?
    /// Wall-clock seconds of the whole command.
    public var seconds: Double
    /// The output folder.
    public var output: String
    /// The final test error of the one trained model; `nil` in a comparison (see ``results``), without test data, or
    /// for a regression run (see ``testMSE``).
    public var testError: Double?
    /// The final test negative log-likelihood of the one trained model; `nil` in a comparison or without test data.
    public var testNLL: Double?
    /// The final test expected calibration error (15 equal-width bins, see `Evaluation`) of the one trained model;
    /// `nil` in a comparison or without test data.
    public var testECE: Double?
    /// One entry per trained model, in training order (one entry when a single strategy was trained).
    public var results: [StrategyResult]
    /// The final error of the one trained model on the recipe's validation split (held-out *training* samples,
    /// for choosing hyper-parameters); `nil` in a comparison or when the recipe has no validation split.
    public var validationError: Double?
    /// Which weights the one trained model's errors are of: `"final"`, or e.g. `"ema-0.999-bn10000"` for an EMA copy
    /// with re-estimated BatchNorm statistics (see `EMAEvaluatedObjective`); `nil` in a comparison.
    public var evaluatedWeights: String?
    /// The final test mean squared error of the one trained model of a regression run (`RegressionEvaluation`); `nil`
    /// in a comparison, without test data, or for a classification run.
    public var testMSE: Double?
    /// The final test root mean squared error (√``testMSE``), under the same conditions.
    public var testRMSE: Double?

    /// Creates a summary.
    public init(
        recipe: String, strategy: String, seed: UInt64, epochs: Int, batchSize: Int, limit: Int?, labels: Int?,
        maximumSteps: Int?, seconds: Double, output: String, testError: Double?, testNLL: Double?,
        results: [StrategyResult], validationError: Double? = nil, evaluatedWeights: String? = nil,
        testECE: Double? = nil, testMSE: Double? = nil, testRMSE: Double? = nil
    ) {
        self.recipe = recipe
        self.strategy = strategy
        self.seed = seed
        self.epochs = epochs
        self.batchSize = batchSize
        self.limit = limit
        self.labels = labels
        self.maximumSteps = maximumSteps
        self.seconds = seconds
        self.output = output
        self.testError = testError
        self.testNLL = testNLL
        self.results = results
        self.validationError = validationError
        self.evaluatedWeights = evaluatedWeights
        self.testECE = testECE
        self.testMSE = testMSE
        self.testRMSE = testRMSE
    }

    /// The outcome of one trained model.
    public struct StrategyResult: Codable, Equatable, Sendable {
        /// The regularizer's name.
        public var strategy: String
        /// Final test error in [0, 1], when there is classification test data.
        public var testError: Double?
        /// Final test negative log-likelihood, when there is test data.
        public var testNLL: Double?
        /// Final test expected calibration error (15 equal-width bins), when there is test data.
        public var testECE: Double?
        /// Optimizer steps taken (including before a resume).
        public var steps: Int
        /// Wall-clock seconds of this model's training call.
        public var seconds: Double
        /// The model's output folder (checkpoint and `metrics.jsonl`).
        public var output: String
        /// Final error on the recipe's validation split, when it has one.
        public var validationError: Double?
        /// Which weights were evaluated (`"final"`, `"ema-0.999"`, …).
        public var evaluatedWeights: String?
        /// Final test mean squared error, when there is regression test data.
        public var testMSE: Double?
        /// Final test root mean squared error, when there is regression test data.
        public var testRMSE: Double?

        /// Creates a result.
        public init(
            strategy: String, testError: Double?, testNLL: Double?, steps: Int, seconds: Double, output: String,
            validationError: Double? = nil, evaluatedWeights: String? = nil, testECE: Double? = nil,
            testMSE: Double? = nil, testRMSE: Double? = nil
        ) {
            self.strategy = strategy
            self.testError = testError
            self.testNLL = testNLL
            self.steps = steps
            self.seconds = seconds
            self.output = output
            self.validationError = validationError
            self.evaluatedWeights = evaluatedWeights
            self.testECE = testECE
            self.testMSE = testMSE
            self.testRMSE = testRMSE
        }

        enum CodingKeys: String, CodingKey {
            case strategy, steps, seconds, output
            case testError = "test_error"
            case testNLL = "test_nll"
            case testECE = "test_ece"
            case testMSE = "test_mse"
            case testRMSE = "test_rmse"
            case validationError = "validation_error"
            case evaluatedWeights = "evaluated_weights"
        }
    }

    enum CodingKeys: String, CodingKey {
        case recipe, strategy, seed, epochs, limit, labels, seconds, output, results
        case batchSize = "batch_size"
        case maximumSteps = "steps"
        case testError = "test_error"
        case testNLL = "test_nll"
        case testECE = "test_ece"
        case testMSE = "test_mse"
        case testRMSE = "test_rmse"
        case validationError = "validation_error"
        case evaluatedWeights = "evaluated_weights"
    }
}
