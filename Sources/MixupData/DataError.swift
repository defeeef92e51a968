import MixupFormats

/// A problem with bad data: a file that cannot be read or parsed, a wrong shape, a label outside the classes, a split
/// that cannot be made. Every case names the dataset or file (`source`) and the offending value; ``description``
/// renders a one-line message such as `train-labels-idx1-ubyte.gz: label 200 at index 59999 is not in 0..<10`.
public enum DataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A data file could not be read or decoded; the ``FormatError`` names the file and the problem.
    case format(FormatError)
    /// None of the file names `candidates` (each also tried with `.gz`) exists in `directory`.
    case missingFile(candidates: [String], directory: String)
    /// The label at (0-based) `index` of `source` is `value`, outside `0..<classCount`.
    case invalidLabel(source: String, index: Int, value: Int, classCount: Int)
    /// `source` has `labels` labels for `samples` samples.
    case labelCount(source: String, labels: Int, samples: Int)
    /// A count in `source` differs from the one it must match: `what` names it.
    case countMismatch(source: String, what: String, expected: Int, found: Int)
    /// The shape of `source`'s data (or of a request on it) is wrong: `expected` and `found` describe both.
    case shapeMismatch(source: String, expected: String, found: String)
    /// `operation` needs labels but `source` has none.
    case unlabelled(source: String, operation: String)
    /// `operation` needs `source` without labels, but it carries them.
    case unexpectedLabels(source: String, operation: String)
    /// Class `classIndex` of `source` has `count` samples, fewer than the `required` ones.
    case classTooSmall(source: String, classIndex: Int, count: Int, required: Int)
    /// `operation` needs at least one sample (or value) but `source` has none.
    case empty(source: String, operation: String)
    /// An argument is invalid: `name` (e.g. "fraction") is `value`; `reason` says what is allowed.
    case invalidArgument(source: String, name: String, value: String, reason: String)

    /// The file or dataset the error refers to.
    public var source: String {
        switch self {
        case .format(let error): error.file ?? "<memory>"
        case .missingFile(_, let directory): directory
        case .invalidLabel(let source, _, _, _), .labelCount(let source, _, _), .countMismatch(let source, _, _, _),
            .shapeMismatch(let source, _, _), .unlabelled(let source, _), .unexpectedLabels(let source, _),
            .classTooSmall(let source, _, _, _), .empty(let source, _), .invalidArgument(let source, _, _, _):
            source
        }
    }

    /// A one-line message naming the source, the problem and the offending values.
    public var description: String {
        switch self {
        case .format(let error):
            return error.description
        case .missingFile(let candidates, let directory):
            return "none of \(candidates.map { $0 + "[.gz]" }) found in \(directory)"
        case .invalidLabel(let source, let index, let value, let classCount):
            return "\(source): label \(value) at index \(index) is not in 0..<\(classCount)"
        case .labelCount(let source, let labels, let samples):
            return "\(source): \(labels) labels for \(samples) samples"
        case .countMismatch(let source, let what, let expected, let found):
            return "\(source): \(what): expected \(expected), found \(found)"
        case .shapeMismatch(let source, let expected, let found):
            return "\(source): expected \(expected), found \(found)"
        case .unlabelled(let source, let operation):
            return "\(source) has no labels: \(operation) needs them"
        case .unexpectedLabels(let source, let operation):
            return "\(source) carries labels: \(operation) needs it unlabelled; remove them first"
        case .classTooSmall(let source, let classIndex, let count, let required):
            return "\(source): class \(classIndex) has only \(count) samples, fewer than the \(required) required"
        case .empty(let source, let operation):
            return "\(source) is empty: \(operation) needs at least one value"
        case .invalidArgument(let source, let name, let value, let reason):
            return "\(source): \(name) \(value) is invalid: \(reason)"
        }
    }
}
