/// The files one trained model left in its folder: the per-epoch metrics and the checkpoint's metadata.
///
/// A single-strategy run has one, in the run folder itself; a comparison run has one per strategy, in sub-folders.
public struct StrategyRun: Sendable, Equatable {
    /// The strategy's name (from the checkpoint metadata, else the folder name).
    public var name: String
    /// The folder, relative to the run folder (`"."` for the run folder itself).
    public var relativePath: String
    /// The lines of `metrics.jsonl`, in file order.
    public var metrics: [EpochMetrics]
    /// The checkpoint's metadata (recipe, strategy, seed, position), empty without a checkpoint.
    public var checkpointMetadata: [String: String]

    /// Creates the record of one strategy's training.
    public init(name: String, relativePath: String, metrics: [EpochMetrics], checkpointMetadata: [String: String]) {
        self.name = name
        self.relativePath = relativePath
        self.metrics = metrics
        self.checkpointMetadata = checkpointMetadata
    }

    /// The last line of the log that has `key`.
    public func last(_ key: String) -> Double? { metrics.last { $0[key] != nil }?[key] }

    /// The `(epoch, value)` points of `key`, in epoch order, skipping epochs without it.
    public func series(_ key: String) -> [(x: Double, y: Double)] {
        metrics.compactMap { line in line[key].map { (Double(line.epoch), $0) } }
    }
}
