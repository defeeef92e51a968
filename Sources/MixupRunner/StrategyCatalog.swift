import MixupKit

/// The regularizers selectable with `--strategy`, by name.
public enum StrategyCatalog {
    /// The names `--strategy` accepts.
    public static let names = [
        "erm", "mixup", "manifold", "cutmix", "fmix", "resizemix", "mixup-cutmix", "gridmix", "smoothmix", "kmixup",
        "mosaic", "mixupio",
    ]

    /// The regularizer called `name`, with Beta concentration `alpha` when given (each strategy has its paper's
    /// default otherwise).
    ///
    /// - Throws: ``RunnerError`` for an unknown name, or the plugin's error (e.g. α ≤ 0) with the value.
    public static func regularizer(named name: String, alpha: Double?) throws -> Regularizer {
        switch name {
        case "erm": return .erm
        case "mixup": return try .mixup(alpha: alpha ?? 1)
        case "manifold", "manifold-mixup": return try .manifoldMixup(alpha: alpha ?? 2)
        case "cutmix": return try .cutMix(alpha: alpha ?? 1)
        case "fmix": return try .fMix(alpha: alpha ?? 1)
        case "resizemix": return try .resizeMix()
        case "gridmix": return try .gridMix(alpha: alpha ?? 1)
        case "smoothmix": return try .smoothMix()
        case "kmixup": return try .kMixup(alpha: alpha ?? 1)
        case "mosaic": return try .mosaic()
        case "mixupio": return try .mixupIO(alpha: alpha ?? 1)
        case "mixup-cutmix":
            let switching = try SwitchingStrategy([
                (strategy: InterpolationStrategy.mixup(alpha: alpha ?? 0.8), probability: 0.5),
                (strategy: CutMixStrategy.cutMix(alpha: 1), probability: 0.5),
            ])
            return try Regularizer(name: "mixup-cutmix", strategy: switching)
        default:
            throw RunnerError("unknown strategy \"\(name)\"; choose one of \(names.joined(separator: ", "))")
        }
    }
}

/// A command-line or recipe problem, with a message for the user.
public struct RunnerError: Error, CustomStringConvertible {
    /// The message.
    public let description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
