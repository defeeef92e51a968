/// One process of a sweep: a configuration (one value per axis) at one seed, run as
/// `<executable> run <recipe> … --seed S --out <directory>`.
public struct SweepCell: Codable, Sendable, Equatable {
    /// The position in ``Sweep/cells`` (also the Slurm array task id).
    public var index: Int
    /// The configuration's name, e.g. `strategy=mixup_alpha=0.2` (`base` when no axis is swept); cells that differ
    /// only by seed share it and form one row of the results.
    public var configuration: String
    /// The axis values of the configuration, in axis order.
    public var settings: [SweepSetting]
    /// The run's seed.
    public var seed: UInt64
    /// The cell's output folder: `<sweep folder>/<configuration>/seed<S>`, holding the run's checkpoint,
    /// `metrics.jsonl`, `stdout.log`, `stderr.log` and `status.json`.
    public var directory: String
    /// The arguments after the executable: `run <recipe> <shared arguments> <axis flags> --seed S --out <directory>`.
    public var arguments: [String]

    /// Creates a cell.
    public init(
        index: Int, configuration: String, settings: [SweepSetting], seed: UInt64, directory: String,
        arguments: [String]
    ) {
        self.index = index
        self.configuration = configuration
        self.settings = settings
        self.seed = seed
        self.directory = directory
        self.arguments = arguments
    }
}
