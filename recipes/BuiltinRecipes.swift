@_exported import MixupRunner

/// Every recipe that ships with MixupKit, in the order `mixup list` shows them.
public enum BuiltinRecipes {
    /// The built-in recipes.
    public static var all: [Recipe] {
        [.spirals, .mnistMLP, .mnistCNN, .cifarPreActResNet18, .cifarResNet20] + semiSupervised + analysis
    }

    /// The recipes that reproduce the papers' claims beyond test error (flattening, label noise, the 2-D bottleneck
    /// picture, the regularizer panel, tabular data, regression); analyse their classification runs with
    /// `mixup analyze`.
    static var analysis: [Recipe] {
        [.mnistFlattening, .mnistLabelNoise, .mnistBottleneck2D, .spiralsPanel, .tabular, .regression]
    }

    /// The semi-supervised recipes (see SemiSupervised.swift).
    static var semiSupervised: [Recipe] { SemiSupervisedRecipes.all }
}

extension Regularizer {
    /// A regularizer from settings written in the recipe's source (literal α and probabilities), which cannot be
    /// invalid; if one ever were, the recipe is broken and this stops with the plugin's message instead of quietly
    /// training something else.
    static func builtin(_ make: () throws -> Regularizer) -> Regularizer {
        do {
            return try make()
        } catch {
            preconditionFailure("a built-in recipe's regularizer setting was rejected: \(error)")
        }
    }
}
