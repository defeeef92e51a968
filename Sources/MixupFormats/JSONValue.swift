/// A minimal JSON document model with a strict parser and a serializer, for the safetensors header.
///
/// Numbers keep their literal text so that large integers (byte offsets) are read exactly. Objects keep their members in
/// document order; duplicate keys are rejected by the parser.
enum JSONValue: Equatable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// A number, as its literal text.
    case number(String)
    case bool(Bool)
    case null

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let a), .array(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    /// The value as an exact integer, if it is an integer literal (no fraction or exponent) that fits in `Int`.
    var integer: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }

    /// A short description of the kind of value, for error messages.
    var kindName: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .number: "number"
        case .bool: "boolean"
        case .null: "null"
        }
    }

    // MARK: - Parsing

    /// Parses a complete JSON document; whitespace may follow the value, nothing else.
    ///
    /// - Returns: the value, or the reason and byte offset of the first syntax error.
    static func parse(_ bytes: ArraySlice<UInt8>) -> Result<JSONValue, ParseError> {
        var parser = Parser(bytes: Array(bytes))
        do throws(ParseError) {
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            guard parser.position == parser.bytes.count else { throw parser.error("unexpected data after the value") }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    /// A syntax error at byte `offset` of the document.
    struct ParseError: Error {
        let offset: Int
        let reason: String
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        func error(_ reason: String) -> ParseError {
            ParseError(offset: position, reason: reason)
        }

        mutating func skipWhitespace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func parseValue(depth: Int) throws(ParseError) -> JSONValue {
            guard depth < 64 else { throw error("nesting deeper than 64 levels") }
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of JSON") }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var members: [(key: String, value: JSONValue)] = []
                var keys = Set<String>()
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return .object(members)
                }
                while true {
                    skipWhitespace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                        throw error("expected a string key")
                    }
                    let keyOffset = position
                    let key = try parseString()
                    guard keys.insert(key).inserted else {
                        throw ParseError(offset: keyOffset, reason: "duplicate key \"\(key)\"")
                    }
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"))
                    members.append((key, try parseValue(depth: depth + 1)))
                    skipWhitespace()
                    if try endOrComma(UInt8(ascii: "}")) { return .object(members) }
                }
            case UInt8(ascii: "["):
                position += 1
                var elements: [JSONValue] = []
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return .array(elements)
                }
                while true {
                    elements.append(try parseValue(depth: depth + 1))
                    skipWhitespace()
                    if try endOrComma(UInt8(ascii: "]")) { return .array(elements) }
                }
            case UInt8(ascii: "\""):
                return .string(try parseString())
            case UInt8(ascii: "t"):
                try expectWord("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expectWord("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expectWord("null")
                return .null
            default:
                return .number(try parseNumber())
            }
        }

        mutating func expect(_ byte: UInt8) throws(ParseError) {
            guard position < bytes.count, bytes[position] == byte else {
                throw error("expected '\(Character(Unicode.Scalar(byte)))'")
            }
            position += 1
        }

        /// Consumes `,` (returning `false`) or `close` (returning `true`).
        mutating func endOrComma(_ close: UInt8) throws(ParseError) -> Bool {
            guard position < bytes.count else { throw error("unexpected end of JSON") }
            if bytes[position] == close {
                position += 1
                return true
            }
            guard bytes[position] == UInt8(ascii: ",") else {
                throw error("expected ',' or '\(Character(Unicode.Scalar(close)))'")
            }
            position += 1
            return false
        }

        mutating func expectWord(_ word: String) throws(ParseError) {
            for byte in word.utf8 {
                guard position < bytes.count, bytes[position] == byte else { throw error("invalid literal") }
                position += 1
            }
        }

        mutating func parseNumber() throws(ParseError) -> String {
            let start = position
            func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
            if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("invalid value") }
            if bytes[position] == UInt8(ascii: "0") {
                position += 1
            } else {
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard position < bytes.count, isDigit(bytes[position]) else { throw error("invalid number") }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
                {
                    position += 1
                }
                guard position < bytes.count, isDigit(bytes[position]) else { throw error("invalid number") }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        /// Parses a string starting at its opening quote.
        mutating func parseString() throws(ParseError) -> String {
            position += 1
            var utf8: [UInt8] = []
            while true {
                guard position < bytes.count else { throw error("unterminated string") }
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: utf8, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard position < bytes.count else { throw error("unterminated string") }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                    case UInt8(ascii: "b"): utf8.append(0x08)
                    case UInt8(ascii: "f"): utf8.append(0x0C)
                    case UInt8(ascii: "n"): utf8.append(0x0A)
                    case UInt8(ascii: "r"): utf8.append(0x0D)
                    case UInt8(ascii: "t"): utf8.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar) {
                            // A high surrogate must be followed by an escaped low surrogate.
                            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                                bytes[position + 1] == UInt8(ascii: "u")
                            else { throw error("unpaired surrogate in \\u escape") }
                            position += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else {
                                throw error("unpaired surrogate in \\u escape")
                            }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                        utf8.append(contentsOf: Array(String(Character(unicode)).utf8))
                    default:
                        throw error("invalid escape sequence")
                    }
                default:
                    guard byte >= 0x20 else { throw error("control character in string") }
                    utf8.append(byte)
                }
            }
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let digit = Character(Unicode.Scalar(bytes[position])).hexDigitValue else {
                    throw error("invalid \\u escape")
                }
                value = value << 4 | UInt32(digit)
                position += 1
            }
            return value
        }
    }

    // MARK: - Serialization

    /// Compact JSON text (no insignificant whitespace), members in stored order.
    var serialized: String {
        switch self {
        case .object(let members):
            "{" + members.map { JSONValue.quoted($0.key) + ":" + $0.value.serialized }.joined(separator: ",") + "}"
        case .array(let elements): "[" + elements.map(\.serialized).joined(separator: ",") + "]"
        case .string(let text): JSONValue.quoted(text)
        case .number(let text): text
        case .bool(let value): value ? "true" : "false"
        case .null: "null"
        }
    }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let digits = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
