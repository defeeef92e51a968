/// The flags of `mixup run`, parsed by ``RecipeCommand``.
public struct RunOptions: Sendable, Equatable {
    /// `--epochs N`: overrides the recipe's epochs.
    public var epochs: Int?
    /// `--seed S` (default 0).
    public var seed: UInt64 = 0
    /// `--data PATH`: where the recipe's files are.
    public var dataPath: String?
    /// `--out DIR`: the output folder (default `runs/<recipe>-<strategy>-seed<S>`).
    public var outputDirectory: String?
    /// `--strategy NAME`: a name of the run's ``StrategyCatalog`` (built-in: erm, mixup, manifold, cutmix, fmix,
    /// resizemix, mixup-cutmix).
    public var strategy: String?
    /// `--alpha A`: the strategy's Beta concentration.
    public var alpha: Double?
    /// `--mix-points A,B`: Manifold Mixup's candidate mix points (default: all of the model's).
    public var mixPoints: [String]?
    /// `--labels N`: labelled samples for semi-supervised recipes.
    public var labels: Int?
    /// `--unlabelled-weight W`: the maximum weight of the unlabelled (consistency) loss in semi-supervised recipes.
    public var unlabelledWeight: Double?
    /// `--batch-size B`: overrides the recipe's batch size.
    public var batchSize: Int?
    /// `--steps N`: stop after N optimizer steps (smoke runs).
    public var maximumSteps: Int?
    /// `--limit N`: read at most N samples per split.
    public var limit: Int?
    /// `--threads T`: kernel threads.
    public var threads: Int?
    /// `--resume`: continue from the checkpoint in the output folder.
    public var resume = false
    /// `--quiet`: no progress output.
    public var quiet = false
    /// The values of the recipe's own flags (``Recipe/flags``), by name without dashes (`"true"` for a switch).
    public var recipeFlags: [String: String] = [:]

    /// Options with every default.
    public init() {}
}
