/// The value one axis takes in a cell, e.g. `alpha = 0.2`.
public struct SweepSetting: Codable, Sendable, Equatable, Hashable {
    /// The axis: `strategy`, `alpha`, `mix-points`, `labels`, or an option's flag.
    public var axis: String
    /// The value as it appears in cell names (mix-point sets join their points with `+`).
    public var value: String

    /// Creates a setting.
    public init(axis: String, value: String) {
        self.axis = axis
        self.value = value
    }
}
