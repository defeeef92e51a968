import MixupKit

/// A command-line, recipe or run problem. Each case carries the offending value (and, for failures that come from
/// another module, that module's own typed error), and the message names it.
public enum RunnerError: Error, CustomStringConvertible {
    /// `mixup <command>` with a command that does not exist.
    case unknownCommand(String)
    /// `mixup run` without a recipe name.
    case missingRecipeName
    /// `mixup run <name>` with a name no recipe has.
    case unknownRecipe(name: String, available: [String])
    /// A flag neither the runner nor the recipe declares.
    case unknownFlag(String)
    /// A flag that needs a value was last or followed by another flag.
    case missingValue(flag: String)
    /// A flag's value cannot be used (`expected` says what would be).
    case invalidValue(flag: String, value: String, expected: String)
    /// `--strategy` with a name the catalogue does not have.
    case unknownStrategy(name: String, available: [String])
    /// Two registrations (or a registration and an alias) share a name.
    case duplicateStrategy(String)
    /// A flag that has no effect on this run (e.g. `--alpha` for a strategy without α); `reason` says why.
    case flagDoesNotApply(flag: String, reason: String)
    /// A strategy's settings were rejected by its plugin (the plugin's error).
    case strategy(name: String, MixingError)
    /// The recipe's data files are missing (the message says where they were looked for).
    case missingData(String)
    /// The data or a setting cannot work for this recipe (the message names the value).
    case invalidData(String)
    /// The recipe's data builder failed with `underlying` (e.g. a ``FormatError`` naming the file).
    case data(recipe: String, underlying: any Error)
    /// The recipe could not build its model, objective or report (the recipe's own error).
    case recipe(name: String, underlying: any Error)
    /// Training `strategy` failed (the trainer's error, e.g. an interrupt or a non-finite loss).
    case training(strategy: String, TrainingError)

    public var description: String {
        switch self {
        case .unknownCommand(let command):
            "unknown command \"\(command)\"; use `mixup list`, `mixup run <recipe>` or `mixup --help`"
        case .missingRecipeName: "`mixup run` needs a recipe name; `mixup list` shows them"
        case .unknownRecipe(let name, let available):
            "unknown recipe \"\(name)\"; available: \(available.joined(separator: ", "))"
        case .unknownFlag(let flag): "unknown flag \"\(flag)\"; see `mixup --help`"
        case .missingValue(let flag): "\(flag) needs a value"
        case .invalidValue(let flag, let value, let expected): "\(flag) needs \(expected), got \"\(value)\""
        case .unknownStrategy(let name, let available):
            "unknown strategy \"\(name)\"; choose one of \(available.joined(separator: ", "))"
        case .duplicateStrategy(let name): "the strategy name \"\(name)\" is registered twice"
        case .flagDoesNotApply(let flag, let reason): "\(flag) does not apply: \(reason)"
        case .strategy(let name, let error): "strategy \(name): \(error.description)"
        case .missingData(let message): message
        case .invalidData(let message): message
        case .data(let recipe, let underlying): "recipe \(recipe): cannot load its data: \(underlying)"
        case .recipe(let name, let underlying): "recipe \(name): \(underlying)"
        case .training(let strategy, let error): "\(strategy): \(error.description)"
        }
    }

    /// Whether this is a usage error (exit status 2) rather than a failed run (exit status 1).
    var isUsageError: Bool {
        switch self {
        case .unknownCommand, .missingRecipeName, .unknownRecipe, .unknownFlag, .missingValue, .invalidValue,
            .unknownStrategy, .flagDoesNotApply:
            true
        default: false
        }
    }

    /// The signal that interrupted training, if that is what this error reports.
    var interruptingSignal: Int32? {
        if case .training(_, .interrupted(_, _, let signal, _)) = self { return signal }
        return nil
    }
}
