import MixupKit

/// One entry of a ``StrategyCatalog``: what `--strategy NAME` builds.
///
/// ```swift
/// let patchSwap = StrategyRegistration(
///     name: "patchswap", summary: "swap a random block of features", takesAlpha: true
/// ) { alpha in try Regularizer(name: "patchswap", strategy: PatchSwap(alpha: alpha ?? 1)) }
/// RecipeCommand.main(recipes: [myRecipe], strategies: .builtin.adding(patchSwap))
/// ```
public struct StrategyRegistration: Sendable {
    /// The name `--strategy` takes.
    public var name: String
    /// Other names accepted for it (e.g. `manifold-mixup` for `manifold`).
    public var aliases: [String]
    /// One line for `mixup --help`.
    public var summary: String
    /// Whether the strategy has a Beta concentration α, so that `--alpha` applies; when `false`, `--alpha` is an error.
    public var takesAlpha: Bool
    /// Builds the regularizer, with `--alpha` when given (`nil`: the strategy's default).
    public var make: @Sendable (_ alpha: Double?) throws(MixingError) -> Regularizer

    /// Creates a registration.
    public init(
        name: String, aliases: [String] = [], summary: String, takesAlpha: Bool,
        make: @escaping @Sendable (_ alpha: Double?) throws(MixingError) -> Regularizer
    ) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.takesAlpha = takesAlpha
        self.make = make
    }

    /// Whether `--strategy candidate` selects this registration.
    public func answers(to candidate: String) -> Bool { candidate == name || aliases.contains(candidate) }
}
