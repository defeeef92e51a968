/// A numeric table read from a CSV file: feature columns plus one class-label column.
///
/// Parsing follows RFC 4180 with a configurable single-byte delimiter: fields may be quoted with `"` (a doubled `""`
/// inside a quoted field is a literal quote, and quoted fields may contain delimiters and line breaks); `\n` and `\r\n`
/// line endings are accepted; blank lines are skipped; whitespace around fields is ignored; a leading UTF-8 byte-order
/// mark is skipped. Every row must have the same number of fields.
///
/// All columns except the label column must be numbers (anything `Float(_:)` accepts). Labels are used as class indices
/// directly when every label is a non-negative integer; otherwise the distinct label values are sorted (numerically if
/// they are all numbers, else by their text) and numbered `0..<k`, and ``classNames`` lists them.
public struct CSVTable: Sendable, Equatable {
    /// Which column holds the labels.
    public enum LabelColumn: Sendable, Equatable {
        /// The last column.
        case last
        /// The column at this 0-based index.
        case index(Int)
        /// The column with this header name (requires a header row).
        case name(String)
    }

    /// Whether the first row is a header of column names.
    public enum HeaderPolicy: Sendable, Equatable {
        /// Header if any field of the first row outside the label column is not a number (always a header when the
        /// label column is chosen by name).
        case automatic
        /// The first row is a header.
        case present
        /// There is no header; the first row is data.
        case absent
    }

    /// How to parse a CSV file.
    public struct Options: Sendable, Equatable {
        /// The field separator; an ASCII character other than `"`, `\r` and `\n`.
        public var delimiter: Character
        /// Whether the first row is a header.
        public var header: HeaderPolicy
        /// Which column holds the labels.
        public var labelColumn: LabelColumn

        /// Options with the given settings; by default comma-separated, header auto-detected, labels in the last
        /// column.
        ///
        /// - Precondition: `delimiter` is a single ASCII character other than `"`, carriage return and line feed.
        public init(delimiter: Character = ",", header: HeaderPolicy = .automatic, labelColumn: LabelColumn = .last) {
            precondition(
                delimiter.isASCII && delimiter != "\"" && delimiter != "\n" && delimiter != "\r"
                    && delimiter.utf8.count == 1,
                "CSVTable.Options: delimiter \(delimiter.debugDescription) must be one ASCII character other than "
                    + "a quote or line break"
            )
            self.delimiter = delimiter
            self.header = header
            self.labelColumn = labelColumn
        }
    }

    /// The header names of the feature columns in order, or `nil` if the file has no header.
    public let featureNames: [String]?
    /// The header name of the label column, or `nil` if the file has no header.
    public let labelName: String?
    /// The number of feature columns.
    public let featureCount: Int
    /// The feature values, row-major: `rowCount × featureCount`.
    public let features: [Float]
    /// The class index of each row.
    public let labels: [Int]
    /// The label text of each class index when labels were mapped from (non-integer or negative) values, else `nil`.
    public let classNames: [String]?

    /// The number of data rows.
    public var rowCount: Int { labels.count }

    /// Reads and parses the CSV file at `path`.
    ///
    /// - Throws: ``FormatError/ioError(path:reason:)`` if it cannot be read, and the errors of
    ///   ``init(bytes:options:)`` naming `path`.
    public init(path: String, options: Options = Options()) throws(FormatError) {
        let bytes = try BinaryFile.read(path: path)
        do {
            self = try CSVTable(bytes: bytes, options: options)
        } catch {
            throw error.attaching(file: path)
        }
    }

    /// Parses CSV text.
    ///
    /// - Throws: the errors of ``init(bytes:options:)``.
    public init(text: String, options: Options = Options()) throws(FormatError) {
        self = try CSVTable(bytes: Array(text.utf8), options: options)
    }

    /// Parses UTF-8 CSV data.
    ///
    /// - Throws: ``FormatError/invalidCSV(file:line:reason:)`` naming the 1-based line and the offending value if a
    ///   field is not a number, a row has the wrong number of fields, a quoted field is malformed or unterminated, the
    ///   label column does not exist, or there are no data rows or no feature columns.
    public init(bytes: [UInt8], options: Options = Options()) throws(FormatError) {
        var reader = CSVRecordReader(bytes: bytes, delimiter: options.delimiter.asciiValue ?? UInt8(ascii: ","))
        var fields: [String] = []
        guard let firstLine = try reader.nextRecord(into: &fields) else {
            throw .invalidCSV(file: nil, line: reader.line, reason: "no rows")
        }
        let columnCount = fields.count
        var hasHeader: Bool
        switch (options.header, options.labelColumn) {
        case (.present, _), (.automatic, .name): hasHeader = true
        case (.absent, _): hasHeader = false
        case (.automatic, _): hasHeader = false
        }
        // Resolve the label column.
        let labelIndex: Int
        switch options.labelColumn {
        case .last:
            labelIndex = columnCount - 1
        case .index(let index):
            guard index >= 0, index < columnCount else {
                throw .invalidCSV(
                    file: nil, line: firstLine,
                    reason: "label column index \(index) out of range for \(columnCount) columns")
            }
            labelIndex = index
        case .name(let name):
            guard hasHeader else {
                throw .invalidCSV(
                    file: nil, line: firstLine, reason: "label column \"\(name)\" chosen by name but header is .absent")
            }
            guard let index = fields.firstIndex(of: name) else {
                throw .invalidCSV(
                    file: nil, line: firstLine,
                    reason: "no column named \"\(name)\" in header \(fields.joined(separator: ","))")
            }
            labelIndex = index
        }
        guard columnCount >= 2 else {
            throw .invalidCSV(
                file: nil, line: firstLine, reason: "need at least one feature column besides the label, found 1 column"
            )
        }
        if options.header == .automatic, !hasHeader {
            hasHeader = fields.indices.contains { $0 != labelIndex && Float(fields[$0]) == nil }
        }

        var featureNames: [String]?
        var labelName: String?
        var features: [Float] = []
        var labelTexts: [String] = []
        var line = firstLine
        if hasHeader {
            featureNames = fields.indices.filter { $0 != labelIndex }.map { fields[$0] }
            labelName = fields[labelIndex]
            guard let next = try reader.nextRecord(into: &fields) else {
                throw .invalidCSV(file: nil, line: reader.line, reason: "header but no data rows")
            }
            line = next
        }
        while true {
            guard fields.count == columnCount else {
                throw .invalidCSV(
                    file: nil, line: line, reason: "expected \(columnCount) fields, found \(fields.count)")
            }
            for (column, field) in fields.enumerated() {
                if column == labelIndex {
                    guard !field.isEmpty else { throw .invalidCSV(file: nil, line: line, reason: "empty label") }
                    labelTexts.append(field)
                } else {
                    guard let value = Float(field) else {
                        let shown = field.isEmpty ? "empty field" : "\"\(field)\" is not a number"
                        throw .invalidCSV(file: nil, line: line, reason: "column \(column + 1): \(shown)")
                    }
                    features.append(value)
                }
            }
            guard let next = try reader.nextRecord(into: &fields) else { break }
            line = next
        }

        // Labels: non-negative integers are class indices; anything else is mapped through sorted class names.
        let integerLabels = labelTexts.map { Int($0) }
        if integerLabels.allSatisfy({ ($0 ?? -1) >= 0 }) {
            labels = integerLabels.map { $0 ?? 0 }
            classNames = nil
        } else {
            let distinct = Array(Set(labelTexts))
            let numeric = distinct.map { Double($0) }
            let sorted: [String]
            if numeric.allSatisfy({ $0 != nil }) {
                sorted = distinct.sorted { (Double($0) ?? 0, $0) < (Double($1) ?? 0, $1) }
            } else {
                sorted = distinct.sorted()
            }
            var indexOf: [String: Int] = [:]
            for (index, name) in sorted.enumerated() { indexOf[name] = index }
            labels = labelTexts.map { indexOf[$0] ?? 0 }
            classNames = sorted
        }
        self.featureNames = featureNames
        self.labelName = labelName
        self.featureCount = columnCount - 1
        self.features = features
    }

    /// The feature values of row `row`.
    ///
    /// - Precondition: `0 <= row < rowCount`.
    public func featureRow(_ row: Int) -> ArraySlice<Float> {
        precondition(row >= 0 && row < rowCount, "CSVTable: row \(row) out of range 0..<\(rowCount)")
        return features[row * featureCount..<(row + 1) * featureCount]
    }
}

/// Splits CSV bytes into records of unquoted, trimmed fields, tracking line numbers.
private struct CSVRecordReader {
    private let bytes: [UInt8]
    private let delimiter: UInt8
    private var position = 0
    /// The 1-based line number at `position`.
    private(set) var line = 1

    private static let quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    init(bytes: [UInt8], delimiter: UInt8) {
        self.bytes = bytes
        self.delimiter = delimiter
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        (byte == 0x20 || byte == 0x09 || byte == CSVRecordReader.carriageReturn) && byte != delimiter
    }

    /// Reads the next non-blank record into `fields` and returns the line it starts on, or `nil` at the end.
    mutating func nextRecord(into fields: inout [String]) throws(FormatError) -> Int? {
        // Skip blank lines.
        while true {
            var probe = position
            while probe < bytes.count, isSpace(bytes[probe]) { probe += 1 }
            if probe == bytes.count { return nil }
            if bytes[probe] == CSVRecordReader.newline {
                position = probe + 1
                line += 1
                continue
            }
            break
        }
        let recordLine = line
        fields.removeAll(keepingCapacity: true)
        while true {
            while position < bytes.count, isSpace(bytes[position]) { position += 1 }
            if position < bytes.count, bytes[position] == CSVRecordReader.quote {
                fields.append(try quotedField(recordLine: recordLine))
            } else {
                let start = position
                while position < bytes.count, bytes[position] != delimiter, bytes[position] != CSVRecordReader.newline {
                    if bytes[position] == CSVRecordReader.quote {
                        throw .invalidCSV(file: nil, line: line, reason: "quote inside an unquoted field")
                    }
                    position += 1
                }
                var end = position
                while end > start, isSpace(bytes[end - 1]) { end -= 1 }
                fields.append(String(decoding: bytes[start..<end], as: UTF8.self))
            }
            if position == bytes.count { return recordLine }
            if bytes[position] == CSVRecordReader.newline {
                position += 1
                line += 1
                return recordLine
            }
            position += 1  // delimiter
        }
    }

    /// Reads a quoted field starting at the opening quote, and the spaces after the closing quote.
    private mutating func quotedField(recordLine: Int) throws(FormatError) -> String {
        position += 1
        var content: [UInt8] = []
        while true {
            guard position < bytes.count else {
                throw .invalidCSV(file: nil, line: recordLine, reason: "unterminated quoted field")
            }
            let byte = bytes[position]
            position += 1
            if byte == CSVRecordReader.quote {
                if position < bytes.count, bytes[position] == CSVRecordReader.quote {
                    content.append(byte)
                    position += 1
                    continue
                }
                break
            }
            if byte == CSVRecordReader.newline { line += 1 }
            content.append(byte)
        }
        while position < bytes.count, isSpace(bytes[position]) { position += 1 }
        guard position == bytes.count || bytes[position] == delimiter || bytes[position] == CSVRecordReader.newline
        else {
            throw .invalidCSV(
                file: nil, line: line,
                reason:
                    "unexpected \(Character(Unicode.Scalar(bytes[position])).debugDescription) after closing quote"
            )
        }
        let text = String(decoding: content, as: UTF8.self)
        return text.trimmingSpaces()
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    fileprivate func trimmingSpaces() -> String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return String(view)
    }
}
