/// An error raised while reading, decoding or writing one of the supported file formats.
///
/// Every case says what was wrong and where: the file path when the data came from a file (`nil` for in-memory data),
/// a byte offset or line number when one is meaningful, and the expected and found values. ``description`` renders a
/// one-line, human-readable message such as
/// `t10k-images-idx3-ubyte: truncated: expected 7840016 bytes, found 4096`.
public enum FormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file could not be opened, read or written. `reason` is the operating system's explanation.
    case ioError(path: String, reason: String)
    /// The data ends before the format says it should: `expected` bytes were needed, `found` were present.
    case truncated(file: String?, expected: Int, found: Int)
    /// A size recorded in or implied by the format disagrees with the data, e.g. a payload that is too long.
    /// `what` names the quantity.
    case sizeMismatch(file: String?, what: String, expected: Int, found: Int)
    /// The data does not start with (or contain at `offset`) the signature the format requires.
    case badMagic(file: String?, offset: Int, expected: String, found: String)
    /// The data is well formed but uses a feature or value this reader does not support.
    case unsupported(file: String?, reason: String)
    /// A stored checksum (named by `kind`, e.g. `"gzip CRC32"`) does not match the one computed from the data.
    case checksumMismatch(file: String?, kind: String, expected: UInt32, found: UInt32)
    /// A DEFLATE stream is malformed; `offset` is the byte offset in the input at which decoding failed.
    case corruptDeflate(file: String?, offset: Int, reason: String)
    /// A CSV file has a problem on (1-based) `line`.
    case invalidCSV(file: String?, line: Int, reason: String)
    /// A class label of record `record` (0-based) is `value`, outside `0..<limit`.
    case invalidLabel(file: String?, record: Int, value: Int, limit: Int)
    /// A structured header (e.g. the JSON header of a safetensors file) is malformed.
    case invalidHeader(file: String?, reason: String)
    /// The entry for tensor `name` in a tensor file is inconsistent.
    case invalidTensor(file: String?, name: String, reason: String)
    /// A CSV feature on (1-based) `line`, (1-based) `column` is NaN or infinite (`text` as written, e.g. `nan`,
    /// `inf` or `1e39`, which overflows to infinity). Accepted only with `CSVTable.Options.allowNonFinite`.
    case nonFiniteCSV(file: String?, line: Int, column: Int, text: String)
    /// Element `offset` (0-based, within the record) of (0-based) `record` of a float IDX file is NaN or infinite.
    /// Accepted only with `allowNonFinite`.
    case nonFiniteIDX(file: String?, record: Int, offset: Int, value: Float)
    /// Reading would exceed a bound: `what` (e.g. "decompressed data") is larger than `limit` bytes or items. `remedy`
    /// says where the bound comes from and how to raise it.
    case limitExceeded(file: String?, what: String, limit: Int, remedy: String)

    /// The file the error refers to, if known.
    public var file: String? {
        switch self {
        case .ioError(let path, _): path
        case .truncated(let file, _, _), .sizeMismatch(let file, _, _, _), .badMagic(let file, _, _, _),
            .unsupported(let file, _), .checksumMismatch(let file, _, _, _), .corruptDeflate(let file, _, _),
            .invalidCSV(let file, _, _), .invalidLabel(let file, _, _, _), .invalidHeader(let file, _),
            .invalidTensor(let file, _, _), .nonFiniteCSV(let file, _, _, _), .nonFiniteIDX(let file, _, _, _),
            .limitExceeded(let file, _, _, _):
            file
        }
    }

    /// This error with its file set to `path` if it had none; errors that already name a file are returned unchanged.
    ///
    /// Parsers of in-memory data raise errors without a file; the path-based entry points use this to add the path.
    public func attaching(file path: String) -> FormatError {
        guard file == nil else { return self }
        switch self {
        case .ioError: return self
        case .truncated(_, let expected, let found): return .truncated(file: path, expected: expected, found: found)
        case .sizeMismatch(_, let what, let expected, let found):
            return .sizeMismatch(file: path, what: what, expected: expected, found: found)
        case .badMagic(_, let offset, let expected, let found):
            return .badMagic(file: path, offset: offset, expected: expected, found: found)
        case .unsupported(_, let reason): return .unsupported(file: path, reason: reason)
        case .checksumMismatch(_, let kind, let expected, let found):
            return .checksumMismatch(file: path, kind: kind, expected: expected, found: found)
        case .corruptDeflate(_, let offset, let reason):
            return .corruptDeflate(file: path, offset: offset, reason: reason)
        case .invalidCSV(_, let line, let reason): return .invalidCSV(file: path, line: line, reason: reason)
        case .invalidLabel(_, let record, let value, let limit):
            return .invalidLabel(file: path, record: record, value: value, limit: limit)
        case .invalidHeader(_, let reason): return .invalidHeader(file: path, reason: reason)
        case .invalidTensor(_, let name, let reason): return .invalidTensor(file: path, name: name, reason: reason)
        case .nonFiniteCSV(_, let line, let column, let text):
            return .nonFiniteCSV(file: path, line: line, column: column, text: text)
        case .nonFiniteIDX(_, let record, let offset, let value):
            return .nonFiniteIDX(file: path, record: record, offset: offset, value: value)
        case .limitExceeded(_, let what, let limit, let remedy):
            return .limitExceeded(file: path, what: what, limit: limit, remedy: remedy)
        }
    }

    /// A one-line message naming the file (or `<memory>`), the problem and the offending values.
    public var description: String {
        let where_ = file ?? "<memory>"
        switch self {
        case .ioError(let path, let reason):
            return "\(path): I/O error: \(reason)"
        case .truncated(_, let expected, let found):
            return "\(where_): truncated: expected \(expected) bytes, found \(found)"
        case .sizeMismatch(_, let what, let expected, let found):
            return "\(where_): size mismatch in \(what): expected \(expected), found \(found)"
        case .badMagic(_, let offset, let expected, let found):
            return "\(where_): bad magic at byte \(offset): expected \(expected), found \(found)"
        case .unsupported(_, let reason):
            return "\(where_): unsupported: \(reason)"
        case .checksumMismatch(_, let kind, let expected, let found):
            return "\(where_): \(kind) mismatch: stored \(hex(expected)), computed \(hex(found))"
        case .corruptDeflate(_, let offset, let reason):
            return "\(where_): corrupt DEFLATE data at byte \(offset): \(reason)"
        case .invalidCSV(_, let line, let reason):
            return "\(where_):\(line): invalid CSV: \(reason)"
        case .invalidLabel(_, let record, let value, let limit):
            return "\(where_): record \(record): label \(value) out of range 0..<\(limit)"
        case .invalidHeader(_, let reason):
            return "\(where_): invalid header: \(reason)"
        case .invalidTensor(_, let name, let reason):
            return "\(where_): tensor \"\(name)\": \(reason)"
        case .nonFiniteCSV(_, let line, let column, let text):
            return "\(where_):\(line): column \(column): \"\(text)\" is not a finite number "
                + "(set CSVTable.Options.allowNonFinite to accept NaN and infinity)"
        case .nonFiniteIDX(_, let record, let offset, let value):
            return "\(where_): record \(record), element \(offset): value \(value) is not finite "
                + "(pass allowNonFinite: true to accept NaN and infinity)"
        case .limitExceeded(_, let what, let limit, let remedy):
            return "\(where_): \(what) exceeds the bound of \(limit) (\(remedy))"
        }
    }
}

/// `0x` followed by eight upper-case hexadecimal digits.
private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

/// The hexadecimal rendering of up to `limit` bytes, e.g. `"1f 8b 08"`, used in ``FormatError/badMagic`` messages.
func hexBytes(_ bytes: ArraySlice<UInt8>, limit: Int = 8) -> String {
    if bytes.isEmpty { return "<end of data>" }
    let shown = bytes.prefix(limit).map { byte -> String in
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }
    return shown.joined(separator: " ") + (bytes.count > limit ? " …" : "")
}
