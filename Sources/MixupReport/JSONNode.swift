import Foundation

/// A parsed JSON value, read from the files a run leaves on disk without depending on the types that wrote them.
enum JSONNode: Decodable, Equatable {
    case object([String: JSONNode])
    case array([JSONNode])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONNode].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONNode].self))
        }
    }

    /// Parses `data`; the error names `path` and `line`.
    static func parse(_ data: Data, path: String, line: Int = 0) throws(ReportError) -> JSONNode {
        do {
            return try JSONDecoder().decode(JSONNode.self, from: data)
        } catch {
            throw .corruptFile(path: path, line: line, reason: "not valid JSON (\(Self.reason(error)))")
        }
    }

    /// Parses the JSON object in the file at `path`, or returns `nil` when there is no such file.
    static func object(atPath path: String) throws(ReportError) -> [String: JSONNode]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard case .object(let members) = try parse(data, path: path) else {
            throw .corruptFile(path: path, line: 0, reason: "expected a JSON object")
        }
        return members
    }

    private static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
        return "\(error)"
    }

    /// The number, if this is one.
    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The string, if this is one.
    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value as display text: integers without a fraction, other numbers with up to six significant digits,
    /// arrays and objects as compact JSON with sorted keys.
    var displayText: String {
        switch self {
        case .string(let value): value
        case .number(let value): Self.format(value)
        case .bool(let value): value ? "true" : "false"
        case .null: "null"
        case .array(let values): "[" + values.map(\.jsonText).joined(separator: ", ") + "]"
        case .object: jsonText
        }
    }

    private var jsonText: String {
        switch self {
        case .string(let value): "\"\(value)\""
        case .object(let members):
            "{" + members.keys.sorted().map { "\"\($0)\": \(members[$0]?.jsonText ?? "null")" }.joined(separator: ", ")
                + "}"
        default: displayText
        }
    }

    /// `value` with no binary noise: an integer when it is one, else up to six significant digits.
    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6g", value)
    }
}
