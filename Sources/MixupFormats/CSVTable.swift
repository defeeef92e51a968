/// A numeric table read from a CSV file: feature columns plus one class-label column.
///
/// Parsing follows RFC 4180 with a configurable single-byte delimiter: fields may be quoted with `"` (a doubled `""`
/// inside a quoted field is a literal quote, and quoted fields may contain delimiters and line breaks); `\n` and `\r\n`
/// line endings are accepted; blank lines are skipped; whitespace around fields is ignored; a leading UTF-8 byte-order
/// mark is skipped. Every row must have the same number of fields. Gzip-compressed files (`.csv.gz`) are decompressed
/// first, within ``ReadLimits/maxDecompressedBytes``. ``Options/skipRows`` skips leading lines (e.g. the count line
/// `569,30,malignant,benign` of scikit-learn's bundled CSV files).
///
/// All columns except the label column must be finite numbers (anything `Float(_:)` accepts except NaN and infinity,
/// including values such as `1e39` that overflow to infinity, unless ``Options/allowNonFinite``). Labels are used as
/// class indices directly when every label is a non-negative integer; otherwise the distinct label values (e.g.
/// `setosa`, `versicolor`) are sorted (numerically if they are all numbers, else by their text) and numbered `0..<k`,
/// and ``classNames`` lists them. The number of classes is bounded (``Options/classCount`` when declared, else
/// ``ReadLimits/maxClassCount``), so a stray label of 1000000000 is an error, not a billion classes. With
/// ``Options/labelKind`` `.numeric` the label column is a regression target instead: every value must be a finite
/// number, kept in ``targets``, and there are no classes.
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

    /// What the label column holds.
    public enum LabelKind: Sendable, Equatable {
        /// Class labels (integers or texts), read into ``CSVTable/labels``.
        case classes
        /// Numeric regression targets, read into ``CSVTable/targets``.
        case numeric
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
        /// How many lines to skip at the start of the file, before the header or the first row (blank lines count).
        public var skipRows: Int
        /// Whether NaN and infinite feature values are accepted (by default they are an error naming line and column).
        public var allowNonFinite: Bool
        /// The number of classes, if known: every integer label must be in `0..<classCount`, and at most
        /// `classCount` distinct text labels may occur (text labels always make as many classes as there are distinct
        /// labels, so that each class has a name). `nil` infers it (largest integer label + 1, or the number of
        /// distinct labels) within ``ReadLimits/maxClassCount``.
        public var classCount: Int?
        /// Bounds on the file read, the decompressed size and the inferred class count.
        public var limits: ReadLimits
        /// Whether the label column holds classes (the default) or numeric regression targets.
        public var labelKind: LabelKind

        /// Options with the given settings; by default comma-separated, header auto-detected, labels in the last
        /// column, no rows skipped, non-finite values rejected, the class count inferred, standard limits, class labels.
        ///
        /// - Precondition: `delimiter` is a single ASCII character other than `"`, carriage return and line feed;
        ///   `skipRows >= 0`; `classCount`, if given, is positive.
        public init(
            delimiter: Character = ",", header: HeaderPolicy = .automatic, labelColumn: LabelColumn = .last,
            skipRows: Int = 0, allowNonFinite: Bool = false, classCount: Int? = nil, limits: ReadLimits = .standard,
            labelKind: LabelKind = .classes
        ) {
            precondition(
                delimiter.isASCII && delimiter != "\"" && delimiter != "\n" && delimiter != "\r"
                    && delimiter.utf8.count == 1,
                "CSVTable.Options: delimiter \(delimiter.debugDescription) must be one ASCII character other than "
                    + "a quote or line break"
            )
            precondition(skipRows >= 0, "CSVTable.Options: skipRows \(skipRows) must be non-negative")
            precondition((classCount ?? 1) > 0, "CSVTable.Options: classCount \(classCount ?? 0) must be positive")
            self.delimiter = delimiter
            self.header = header
            self.labelColumn = labelColumn
            self.skipRows = skipRows
            self.allowNonFinite = allowNonFinite
            self.classCount = classCount
            self.limits = limits
            self.labelKind = labelKind
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
    /// The class index of each row (empty when ``Options/labelKind`` is `.numeric`).
    public let labels: [Int]
    /// The label text of each class index when labels were mapped from (non-integer or negative) values, else `nil`.
    public let classNames: [String]?
    /// The number of classes: the number of ``classNames`` for text labels, else ``Options/classCount`` when
    /// declared, else the largest label + 1.
    public let classCount: Int
    /// The numeric target of each row when ``Options/labelKind`` is `.numeric`, else `nil`.
    public let targets: [Float]?

    /// The number of data rows.
    public var rowCount: Int { features.count / featureCount }

    /// Reads and parses the CSV file at `path` (gzip-compressed or not).
    ///
    /// - Throws: ``FormatError/ioError(path:reason:)`` if it cannot be read or is not a regular file, and the errors
    ///   of ``init(bytes:options:)`` naming `path`.
    public init(path: String, options: Options = Options()) throws(FormatError) {
        let bytes = try BinaryFile.read(path: path, limits: options.limits)
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

    /// Parses UTF-8 CSV data, gzip-compressed or not.
    ///
    /// - Throws: ``FormatError/invalidCSV(file:line:reason:)`` naming the 1-based line and the offending value if a
    ///   field is not a number, a row has the wrong number of fields (when it is line 2 against line 1, the message
    ///   says whether line 1 was taken as a header and why), a quoted field is malformed or unterminated, the label
    ///   column does not exist, a label is outside the declared classes or would make more than
    ///   ``ReadLimits/maxClassCount`` classes, or there are no data rows or no feature columns;
    ///   ``FormatError/nonFiniteCSV(file:line:column:text:)`` for a NaN or infinite feature unless
    ///   ``Options/allowNonFinite``; gzip errors for compressed data.
    public init(bytes: [UInt8], options: Options = Options()) throws(FormatError) {
        let text =
            Gzip.isGzip(bytes) ? try Gzip.decompress(bytes, limit: options.limits.maxDecompressedBytes) : bytes
        var reader = CSVRecordReader(bytes: text, delimiter: options.delimiter.asciiValue ?? UInt8(ascii: ","))
        reader.skipLines(options.skipRows)
        var fields: [String] = []
        guard let firstLine = try reader.nextRecord(into: &fields) else {
            throw .invalidCSV(
                file: nil, line: reader.line,
                reason: options.skipRows > 0 ? "no rows after skipping \(options.skipRows) lines" : "no rows")
        }
        let first = fields
        let columnCount = first.count
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
            guard options.header != .absent else {
                throw .invalidCSV(
                    file: nil, line: firstLine, reason: "label column \"\(name)\" chosen by name but header is .absent")
            }
            guard let index = first.firstIndex(of: name) else {
                throw .invalidCSV(
                    file: nil, line: firstLine,
                    reason: "no column named \"\(name)\" in header \(first.joined(separator: ","))")
            }
            labelIndex = index
        }
        guard columnCount >= 2 else {
            throw .invalidCSV(
                file: nil, line: firstLine, reason: "need at least one feature column besides the label, found 1 column"
            )
        }
        // Whether line 1 is a header, and why (for the message when the next line disagrees with it).
        let headerReason: String?
        switch (options.header, options.labelColumn) {
        case (.present, _): headerReason = "the header option is .present"
        case (.automatic, .name): headerReason = "the label column is chosen by name"
        case (.absent, _): headerReason = nil
        case (.automatic, _):
            headerReason = first.indices.first { $0 != labelIndex && Float(first[$0]) == nil }.map {
                "field \($0 + 1) (\"\(first[$0])\") is not a number"
            }
        }
        let hasHeader = headerReason != nil

        var featureNames: [String]?
        var labelName: String?
        var features: [Float] = []
        var labelTexts: [String] = []
        var labelLines: [Int] = []
        var targets: [Float] = []
        var line = firstLine
        if hasHeader {
            featureNames = first.indices.filter { $0 != labelIndex }.map { first[$0] }
            labelName = first[labelIndex]
            guard let next = try reader.nextRecord(into: &fields) else {
                throw .invalidCSV(file: nil, line: reader.line, reason: "header but no data rows")
            }
            line = next
        }
        var rowIndex = 0
        while true {
            guard fields.count == columnCount else {
                throw .invalidCSV(
                    file: nil, line: line,
                    reason: CSVTable.fieldCountProblem(
                        found: fields.count, expected: columnCount, firstLine: firstLine,
                        isFirstComparison: rowIndex == (hasHeader ? 0 : 1), headerReason: headerReason,
                        skipRows: options.skipRows))
            }
            for (column, field) in fields.enumerated() {
                if column == labelIndex {
                    guard !field.isEmpty else { throw .invalidCSV(file: nil, line: line, reason: "empty label") }
                    if options.labelKind == .numeric {
                        guard let value = Float(field) else {
                            throw .invalidCSV(
                                file: nil, line: line,
                                reason: "column \(column + 1): the numeric target \"\(field)\" is not a number")
                        }
                        if !options.allowNonFinite, !value.isFinite {
                            throw .nonFiniteCSV(file: nil, line: line, column: column + 1, text: field)
                        }
                        targets.append(value)
                        continue
                    }
                    labelTexts.append(field)
                    labelLines.append(line)
                } else {
                    guard let value = Float(field) else {
                        let shown = field.isEmpty ? "empty field" : "\"\(field)\" is not a number"
                        throw .invalidCSV(file: nil, line: line, reason: "column \(column + 1): \(shown)")
                    }
                    if !options.allowNonFinite, !value.isFinite {
                        throw .nonFiniteCSV(file: nil, line: line, column: column + 1, text: field)
                    }
                    features.append(value)
                }
            }
            rowIndex += 1
            guard let next = try reader.nextRecord(into: &fields) else { break }
            line = next
        }

        let (labels, classNames, classCount): ([Int], [String]?, Int) =
            if options.labelKind == .numeric {
                ([], nil, 0)
            } else {
                try CSVTable.classes(
                    of: labelTexts, lines: labelLines, declared: options.classCount,
                    limit: options.limits.maxClassCount)
            }
        self.targets = options.labelKind == .numeric ? targets : nil
        self.labels = labels
        self.classNames = classNames
        self.classCount = classCount
        self.featureNames = featureNames
        self.labelName = labelName
        self.featureCount = columnCount - 1
        self.features = features
    }

    /// The reason for a row of `found` fields where `expected` were set by the first line.
    private static func fieldCountProblem(
        found: Int, expected: Int, firstLine: Int, isFirstComparison: Bool, headerReason: String?, skipRows: Int
    ) -> String {
        guard isFirstComparison else {
            return "expected \(expected) fields (as on line \(firstLine)), found \(found)"
        }
        guard let headerReason else {
            return "expected \(expected) fields (as on line \(firstLine), taken as data), found \(found)"
        }
        return "expected \(expected) fields as on line \(firstLine), found \(found): line \(firstLine) was taken as a "
            + "header because \(headerReason), but it has a different number of fields from the rows after it; if it "
            + "is a count or comment line (as scikit-learn's \"569,30,malignant,benign\"), skip it with "
            + "skipRows: \(skipRows + 1)"
    }

    /// Class indices for the label texts: the integers themselves when all are non-negative integers, else indices
    /// into the sorted distinct texts. Checks the declared class count, or the inferred one against `limit`.
    private static func classes(
        of texts: [String], lines: [Int], declared: Int?, limit: Int
    ) throws(FormatError) -> (labels: [Int], names: [String]?, count: Int) {
        let integers = texts.map { Int($0) }
        if integers.allSatisfy({ ($0 ?? -1) >= 0 }) {
            let labels = integers.map { $0 ?? 0 }
            guard let largest = labels.indices.max(by: { labels[$0] < labels[$1] }) else { return (labels, nil, 0) }
            if let declared {
                if labels[largest] >= declared {
                    throw .invalidCSV(
                        file: nil, line: lines[largest],
                        reason: "label \(labels[largest]) is outside the declared classes 0..<\(declared)")
                }
                return (labels, nil, declared)
            }
            guard labels[largest] < limit else {
                throw .invalidCSV(
                    file: nil, line: lines[largest],
                    reason: "label \(labels[largest]) needs more classes than the bound of "
                        + "\(limit) (declare the class count, or \(ReadLimits.classCountOverride))")
            }
            return (labels, nil, labels[largest] + 1)
        }
        let distinct = Array(Set(texts))
        let bound = declared ?? limit
        guard distinct.count <= bound else {
            throw .invalidCSV(
                file: nil, line: lines.last ?? 1,
                reason: "\(distinct.count) distinct labels, more than the "
                    + (declared != nil
                        ? "declared \(bound) classes" : "bound of \(bound) classes (\(ReadLimits.classCountOverride))"))
        }
        let numeric = distinct.map { Double($0) }
        let sorted: [String]
        if numeric.allSatisfy({ $0 != nil }) {
            sorted = distinct.sorted { (Double($0) ?? 0, $0) < (Double($1) ?? 0, $1) }
        } else {
            sorted = distinct.sorted()
        }
        var indexOf: [String: Int] = [:]
        for (index, name) in sorted.enumerated() { indexOf[name] = index }
        return (texts.map { indexOf[$0] ?? 0 }, sorted, sorted.count)
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

    /// Skips `count` physical lines (without interpreting quotes).
    mutating func skipLines(_ count: Int) {
        var skipped = 0
        while skipped < count, position < bytes.count {
            if bytes[position] == CSVRecordReader.newline {
                skipped += 1
                line += 1
            }
            position += 1
        }
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
