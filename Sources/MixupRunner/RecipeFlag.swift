/// A flag a recipe adds to `mixup run <recipe>`, e.g. `--temperature T`. Its value reaches the recipe in
/// ``DataRequest/flags`` and ``RunOptions/recipeFlags`` under ``name``.
public struct RecipeFlag: Sendable, Equatable {
    /// The name without dashes (`temperature` for `--temperature`).
    public var name: String
    /// The value's placeholder in help (`T`), or `nil` for a switch without a value.
    public var valueName: String?
    /// One line for `mixup --help`.
    public var help: String

    /// Creates a flag.
    public init(name: String, valueName: String? = "VALUE", help: String) {
        self.name = name
        self.valueName = valueName
        self.help = help
    }
}
