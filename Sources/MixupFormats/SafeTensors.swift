/// A set of named tensors in the safetensors format (the Hugging Face checkpoint format), with string metadata.
///
/// File layout: an 8-byte little-endian header length *N*; *N* bytes of UTF-8 JSON mapping each tensor name to
/// `{"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}` plus an optional `"__metadata__"` object of
/// string values (the JSON may be padded with trailing spaces); then the tensor data, little-endian, at the given
/// offsets relative to the end of the header. The data regions must tile the data section exactly.
///
/// Writing stores every tensor as `F32`, sorted by name, with the header padded to a multiple of 8 bytes; the result is
/// readable by Python's `safetensors` package. Reading accepts `F32`, `F16`, `BF16`, `F64`, the integer types and
/// `BOOL`, converting the values to `Float` (64-bit integers beyond 2^24 lose precision).
public struct SafeTensors: Sendable, Equatable {
    /// The element types of the safetensors format that can be read.
    public enum DType: String, Sendable, CaseIterable {
        /// IEEE 754 double precision.
        case float64 = "F64"
        /// IEEE 754 single precision (the only type written).
        case float32 = "F32"
        /// IEEE 754 half precision.
        case float16 = "F16"
        /// Brain floating point (the upper 16 bits of a `Float`).
        case bfloat16 = "BF16"
        /// Signed 64-bit integer.
        case int64 = "I64"
        /// Signed 32-bit integer.
        case int32 = "I32"
        /// Signed 16-bit integer.
        case int16 = "I16"
        /// Signed 8-bit integer.
        case int8 = "I8"
        /// Unsigned 8-bit integer.
        case uint8 = "U8"
        /// Boolean, one byte (0 or 1).
        case bool = "BOOL"

        /// The size of one element in bytes.
        public var byteWidth: Int {
            switch self {
            case .float64, .int64: 8
            case .float32, .int32: 4
            case .float16, .bfloat16, .int16: 2
            case .int8, .uint8, .bool: 1
            }
        }
    }

    /// One tensor: a shape and its row-major values.
    public struct Tensor: Sendable, Equatable {
        /// The extent of each axis (`[]` for a scalar).
        public let shape: [Int]
        /// The elements in row-major order; `values.count` is the product of `shape`.
        public let values: [Float]

        /// A tensor with the given shape and row-major values.
        ///
        /// - Precondition: every extent is non-negative and `values.count` is the product of `shape`.
        public init(shape: [Int], values: [Float]) {
            precondition(shape.allSatisfy { $0 >= 0 }, "SafeTensors.Tensor: negative extent in shape \(shape)")
            precondition(
                shape.reduce(1, *) == values.count,
                "SafeTensors.Tensor: \(values.count) values do not fill shape \(shape) (\(shape.reduce(1, *)) elements)"
            )
            self.shape = shape
            self.values = values
        }
    }

    /// The header key reserved for metadata.
    public static let metadataKey = "__metadata__"
    /// The largest header accepted when reading (100 MB, as in the reference implementation).
    public static let maximumHeaderSize = 100_000_000

    /// The tensors by name.
    public var tensors: [String: Tensor]
    /// Free-form string metadata (the `__metadata__` header entry), e.g. training step or format version.
    public var metadata: [String: String]

    /// A tensor set with the given tensors and metadata.
    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor named `name`, if any.
    public subscript(name: String) -> Tensor? {
        get { tensors[name] }
        set { tensors[name] = newValue }
    }

    /// The tensor names in sorted order (the order in which they are written).
    public var names: [String] { tensors.keys.sorted() }

    // MARK: - Reading

    /// Reads the safetensors file at `path`.
    ///
    /// - Throws: ``FormatError/ioError(path:reason:)`` if it cannot be read, and the errors of ``init(bytes:)``
    ///   naming `path`.
    public init(path: String) throws(FormatError) {
        let bytes = try BinaryFile.read(path: path)
        do {
            self = try SafeTensors(bytes: bytes)
        } catch {
            throw error.attaching(file: path)
        }
    }

    /// Parses a safetensors file held in memory.
    ///
    /// - Throws:
    ///   - ``FormatError/truncated(file:expected:found:)`` if the data is shorter than the 8-byte length prefix or
    ///     the header it announces;
    ///   - ``FormatError/invalidHeader(file:reason:)`` if the header is too large, not valid UTF-8 JSON, not an
    ///     object, or has malformed metadata;
    ///   - ``FormatError/invalidTensor(file:name:reason:)`` naming the tensor if its entry is malformed, its dtype is
    ///     unknown, its byte range does not match shape × dtype size, or it overlaps or leaves a gap before the
    ///     previous tensor's data;
    ///   - ``FormatError/sizeMismatch(file:what:expected:found:)`` if the tensors do not cover the data section
    ///     exactly.
    public init(bytes: [UInt8]) throws(FormatError) {
        guard bytes.count >= 8 else { throw .truncated(file: nil, expected: 8, found: bytes.count) }
        var headerLength: UInt64 = 0
        for index in 0..<8 { headerLength |= UInt64(bytes[index]) << (8 * UInt64(index)) }
        guard headerLength <= UInt64(SafeTensors.maximumHeaderSize) else {
            throw .invalidHeader(
                file: nil,
                reason: "header length \(headerLength) exceeds the \(SafeTensors.maximumHeaderSize)-byte limit")
        }
        let dataStart = 8 + Int(headerLength)
        guard bytes.count >= dataStart else { throw .truncated(file: nil, expected: dataStart, found: bytes.count) }
        guard headerLength > 0, bytes[8] == UInt8(ascii: "{") else {
            throw .invalidHeader(file: nil, reason: "header does not start with '{'")
        }
        let root: JSONValue
        switch JSONValue.parse(bytes[8..<dataStart]) {
        case .success(let value): root = value
        case .failure(let error):
            throw .invalidHeader(file: nil, reason: "JSON error at header byte \(error.offset): \(error.reason)")
        }
        guard case .object(let members) = root else {
            throw .invalidHeader(file: nil, reason: "header is a JSON \(root.kindName), expected an object")
        }

        var metadata: [String: String] = [:]
        var entries: [(name: String, type: DType, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in members {
            if name == SafeTensors.metadataKey {
                guard case .object(let pairs) = value else {
                    throw .invalidHeader(file: nil, reason: "__metadata__ is a \(value.kindName), expected an object")
                }
                for (key, item) in pairs {
                    guard case .string(let text) = item else {
                        throw .invalidHeader(
                            file: nil,
                            reason: "__metadata__ value for \"\(key)\" is a \(item.kindName), expected a string")
                    }
                    metadata[key] = text
                }
                continue
            }
            entries.append(try SafeTensors.parseEntry(name: name, value: value))
        }

        // The data regions must tile the data section: sorted by offset, each starts where the previous ends.
        let dataLength = bytes.count - dataStart
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var expectedBegin = 0
        var previousName: String?
        for entry in entries {
            guard entry.begin == expectedBegin else {
                let relation = entry.begin < expectedBegin ? "overlaps" : "leaves a gap after"
                let previous = previousName.map { "tensor \"\($0)\" (ending at \(expectedBegin))" } ?? "the data start"
                throw .invalidTensor(
                    file: nil, name: entry.name,
                    reason: "data_offsets [\(entry.begin), \(entry.end)] \(relation) \(previous)")
            }
            guard entry.end <= dataLength else {
                throw .invalidTensor(
                    file: nil, name: entry.name,
                    reason:
                        "data_offsets [\(entry.begin), \(entry.end)] extend past the \(dataLength)-byte data section")
            }
            expectedBegin = entry.end
            previousName = entry.name
        }
        guard expectedBegin == dataLength else {
            throw .sizeMismatch(
                file: nil, what: "safetensors data section (bytes after the header)", expected: expectedBegin,
                found: dataLength)
        }

        var tensors: [String: Tensor] = [:]
        bytes.withUnsafeBufferPointer { buffer in
            for entry in entries {
                let region = UnsafeBufferPointer(rebasing: buffer[(dataStart + entry.begin)..<(dataStart + entry.end)])
                tensors[entry.name] = Tensor(shape: entry.shape, values: SafeTensors.decode(region, as: entry.type))
            }
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Validates one tensor entry of the header.
    private static func parseEntry(
        name: String, value: JSONValue
    ) throws(FormatError) -> (name: String, type: DType, shape: [Int], begin: Int, end: Int) {
        func invalid(_ reason: String) -> FormatError { .invalidTensor(file: nil, name: name, reason: reason) }
        guard case .object(let fields) = value else {
            throw invalid("entry is a \(value.kindName), expected an object")
        }
        func field(_ key: String) throws(FormatError) -> JSONValue {
            guard let found = fields.first(where: { $0.key == key }) else { throw invalid("missing \"\(key)\"") }
            return found.value
        }
        guard case .string(let typeName) = try field("dtype") else { throw invalid("\"dtype\" is not a string") }
        guard let type = DType(rawValue: typeName) else {
            throw invalid(
                "unsupported dtype \"\(typeName)\" "
                    + "(supported: \(DType.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        guard case .array(let shapeValues) = try field("shape") else { throw invalid("\"shape\" is not an array") }
        var shape: [Int] = []
        var elementCount = 1
        for extentValue in shapeValues {
            guard let extent = extentValue.integer, extent >= 0 else {
                throw invalid("shape entry \(extentValue.serialized) is not a non-negative integer")
            }
            shape.append(extent)
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: extent)
            guard !overflow, product <= Int.max / 8 else { throw invalid("shape \(shape)… has too many elements") }
            elementCount = product
        }
        guard case .array(let offsets) = try field("data_offsets"), offsets.count == 2,
            let begin = offsets[0].integer, let end = offsets[1].integer, begin >= 0, begin <= end
        else { throw invalid("\"data_offsets\" is not [begin, end] with 0 <= begin <= end") }
        let expectedBytes = elementCount * type.byteWidth
        guard end - begin == expectedBytes else {
            throw invalid(
                "data_offsets [\(begin), \(end)] span \(end - begin) bytes, but shape \(shape) of \(typeName) needs "
                    + "\(expectedBytes)")
        }
        return (name, type, shape, begin, end)
    }

    /// Converts little-endian elements of type `type` to `Float`.
    private static func decode(_ region: UnsafeBufferPointer<UInt8>, as type: DType) -> [Float] {
        let count = region.count / type.byteWidth
        let raw = UnsafeRawBufferPointer(region)
        return [Float](unsafeUninitializedCapacity: count) { values, initialized in
            func word16(_ index: Int) -> UInt16 {
                UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
            }
            func word32(_ index: Int) -> UInt32 {
                UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))
            }
            func word64(_ index: Int) -> UInt64 {
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * index, as: UInt64.self))
            }
            switch type {
            case .float32:
                for index in 0..<count { values[index] = Float(bitPattern: word32(index)) }
            case .float64:
                for index in 0..<count { values[index] = Float(Double(bitPattern: word64(index))) }
            case .float16:
                for index in 0..<count { values[index] = floatFromHalf(word16(index)) }
            case .bfloat16:
                for index in 0..<count { values[index] = Float(bitPattern: UInt32(word16(index)) << 16) }
            case .int64:
                for index in 0..<count { values[index] = Float(Int64(bitPattern: word64(index))) }
            case .int32:
                for index in 0..<count { values[index] = Float(Int32(bitPattern: word32(index))) }
            case .int16:
                for index in 0..<count { values[index] = Float(Int16(bitPattern: word16(index))) }
            case .int8:
                for index in 0..<count { values[index] = Float(Int8(bitPattern: region[index])) }
            case .uint8:
                for index in 0..<count { values[index] = Float(region[index]) }
            case .bool:
                for index in 0..<count { values[index] = region[index] != 0 ? 1 : 0 }
            }
            initialized = count
        }
    }

    /// The `Float` value of IEEE 754 half-precision bits (exact; subnormals, infinities and NaN included).
    static func floatFromHalf(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x03FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2^-24.
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign != 0 ? -magnitude : magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | mantissa << 13)
        }
    }

    // MARK: - Writing

    /// The complete file contents: every tensor as little-endian `F32`, sorted by name.
    ///
    /// - Precondition: no tensor is named ``metadataKey``.
    public func encoded() -> [UInt8] {
        precondition(
            tensors[SafeTensors.metadataKey] == nil, "SafeTensors: \"__metadata__\" is not a valid tensor name")
        var members: [(key: String, value: JSONValue)] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { (key: $0, value: JSONValue.string(metadata[$0] ?? "")) }
            members.append((SafeTensors.metadataKey, .object(pairs)))
        }
        var offset = 0
        let names = self.names
        for name in names {
            let tensor = tensors[name] ?? Tensor(shape: [0], values: [])
            let size = tensor.values.count * 4
            members.append(
                (
                    name,
                    .object([
                        ("dtype", .string(DType.float32.rawValue)),
                        ("shape", .array(tensor.shape.map { .number(String($0)) })),
                        ("data_offsets", .array([.number(String(offset)), .number(String(offset + size))])),
                    ])
                ))
            offset += size
        }
        var header = Array(JSONValue.object(members).serialized.utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        let length = UInt64(header.count)
        for index in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * UInt64(index)))) }
        bytes += header
        for name in names {
            guard let values = tensors[name]?.values else { continue }
            #if _endian(little)
                values.withUnsafeBytes { bytes.append(contentsOf: $0) }
            #else
                for value in values {
                    let bits = value.bitPattern
                    for shift in stride(from: 0, to: 32, by: 8) {
                        bytes.append(UInt8(truncatingIfNeeded: bits >> shift))
                    }
                }
            #endif
        }
        return bytes
    }

    /// Writes ``encoded()`` to `path` atomically: an existing file at `path` is replaced only once the new contents are
    /// completely written, and survives if writing fails (see ``BinaryFile/writeAtomically(_:to:)``).
    ///
    /// - Precondition: no tensor is named ``metadataKey``.
    /// - Throws: ``FormatError/ioError(path:reason:)`` if the file cannot be written.
    public func write(to path: String) throws(FormatError) {
        try BinaryFile.writeAtomically(encoded(), to: path)
    }
}
