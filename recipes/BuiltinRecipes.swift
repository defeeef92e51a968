@_exported import MixupRunner

/// Every recipe that ships with MixupKit, in the order `mixup list` shows them.
public enum BuiltinRecipes {
    /// The built-in recipes.
    public static var all: [Recipe] {
        [.spirals, .mnistMLP, .mnistCNN, .cifarPreActResNet18, .cifarResNet20] + semiSupervised
    }

    /// The semi-supervised recipes (see SemiSupervised.swift).
    static var semiSupervised: [Recipe] { SemiSupervisedRecipes.all }
}
