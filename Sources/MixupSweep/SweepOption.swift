/// One extra axis of a ``Sweep``: a `mixup run` flag and the values it takes, e.g. `--batch-size` over `64, 128`.
public struct SweepOption: Codable, Sendable, Equatable {
    /// The flag without its leading dashes, e.g. `"batch-size"`; it also names the axis in cell names.
    public var flag: String
    /// The values, passed verbatim after `--<flag>`, in sweep order.
    public var values: [String]

    /// Creates an axis over `values` of `--<flag>`.
    public init(flag: String, values: [String]) {
        self.flag = flag.hasPrefix("--") ? String(flag.dropFirst(2)) : flag
        self.values = values
    }
}
