/// Why a measurement could not be made. Every message names the offending value.
public enum AnalysisError: Error, CustomStringConvertible, Equatable {
    /// A setting outside its valid range, e.g. a negative ε or a bin count of 0.
    case invalidSetting(name: String, value: String, expected: String)
    /// Data that does not fit the measurement: unlabelled, empty, a wrong shape, a label outside the classes.
    case invalidData(String)

    public var description: String {
        switch self {
        case .invalidSetting(let name, let value, let expected):
            "\(name) = \(value) is invalid: expected \(expected)"
        case .invalidData(let message):
            message
        }
    }
}
