/// Everything a recipe's builders are told about the run: the one request type through which `--data`, `--labels`,
/// `--limit`, `--seed` and the recipe's own flags reach a recipe.
///
/// - `path`: `--data PATH`, a file or folder (`nil`: the recipe's default location).
/// - `seed`: `--seed S` (default 0), for synthetic data and label subsets.
/// - `labels`: `--labels N`, the labelled samples of semi-supervised recipes (`nil`: the recipe's default).
/// - `limit`: `--limit N`, at most N samples per split. A builder may read less to save time; the runner also cuts
///   every larger split to N seeded-random samples (in their original order) after the builder returns, so the limit
///   holds for every recipe.
/// - `flags`: the values of the flags the recipe declared (``Recipe/flags``), by name without the dashes;
///   a flag without a value (a switch) maps to `"true"`.
public struct DataRequest: Sendable, Equatable {
    /// `--data PATH`, if given.
    public var path: String?
    /// The run's seed.
    public var seed: UInt64
    /// `--labels N`, if given.
    public var labels: Int?
    /// `--limit N`, if given.
    public var limit: Int?
    /// The recipe's own flags, by name without the leading dashes.
    public var flags: [String: String]

    /// Creates a request.
    public init(
        path: String? = nil, seed: UInt64 = 0, labels: Int? = nil, limit: Int? = nil, flags: [String: String] = [:]
    ) {
        self.path = path
        self.seed = seed
        self.labels = labels
        self.limit = limit
        self.flags = flags
    }
}
