/// An IDX file: the simple n-dimensional array format of the MNIST family of datasets.
///
/// Layout: two zero bytes, a type-code byte (``ElementType``), a byte giving the number of dimensions *d*, then *d*
/// big-endian `UInt32` extents, then the elements in row-major order, each big-endian. MNIST labels are
/// `00 00 08 01` (1-D unsigned bytes) and images `00 00 08 03` (3-D unsigned bytes: count × rows × columns).
///
/// Reading transparently gunzips data that starts with the gzip signature, so `train-images-idx3-ubyte.gz` can be read
/// directly. The payload is kept as stored; ``floatValues()``, ``uint8Values`` and ``integerValues()`` convert it.
public struct IDXFile: Sendable, Equatable {
    /// The element type codes of the IDX format.
    public enum ElementType: UInt8, Sendable, CaseIterable {
        /// Unsigned byte (`0x08`).
        case uint8 = 0x08
        /// Signed byte (`0x09`).
        case int8 = 0x09
        /// Big-endian 16-bit signed integer (`0x0B`).
        case int16 = 0x0B
        /// Big-endian 32-bit signed integer (`0x0C`).
        case int32 = 0x0C
        /// Big-endian IEEE 754 single-precision float (`0x0D`).
        case float32 = 0x0D
        /// Big-endian IEEE 754 double-precision float (`0x0E`).
        case float64 = 0x0E

        /// The size of one element in bytes.
        public var byteWidth: Int {
            switch self {
            case .uint8, .int8: 1
            case .int16: 2
            case .int32, .float32: 4
            case .float64: 8
            }
        }
    }

    /// The type of the stored elements.
    public let elementType: ElementType
    /// The extent of each axis, outermost first (e.g. `[60000, 28, 28]` for MNIST training images).
    public let dimensions: [Int]
    /// The element bytes exactly as stored: row-major, multi-byte elements big-endian.
    public let payload: [UInt8]

    /// The number of elements: the product of ``dimensions``.
    public var count: Int { payload.count / elementType.byteWidth }

    /// Reads the IDX file at `path`, gunzipping it first if it is gzip-compressed.
    ///
    /// - Parameters:
    ///   - limits: bounds on the read (see ``init(bytes:limits:allowNonFinite:)``).
    ///   - allowNonFinite: accept NaN and infinite elements in float files instead of throwing.
    /// - Throws: ``FormatError`` naming `path`: ``FormatError/ioError(path:reason:)`` if it cannot be read or is not a
    ///   regular file, any gzip error, and the errors of ``init(bytes:limits:allowNonFinite:)``.
    public init(path: String, limits: ReadLimits = .standard, allowNonFinite: Bool = false) throws(FormatError) {
        let bytes = try BinaryFile.read(path: path, limits: limits)
        do {
            self = try IDXFile(bytes: bytes, limits: limits, allowNonFinite: allowNonFinite)
        } catch {
            throw error.attaching(file: path)
        }
    }

    /// Parses IDX data (gzip-compressed or not) from memory.
    ///
    /// Compressed data is bounded by what its header declares: the header is decompressed first, and the whole file
    /// only if the size its dimensions imply is within ``ReadLimits/maxDecompressedBytes``; decompression then stops
    /// as soon as it passes that declared size.
    ///
    /// - Parameters:
    ///   - limits: the bound on the decompressed size.
    ///   - allowNonFinite: accept NaN and infinite elements in float files instead of throwing.
    /// - Throws:
    ///   - ``FormatError/badMagic(file:offset:expected:found:)`` if the first two bytes are not zero or the type code is
    ///     unknown;
    ///   - ``FormatError/truncated(file:expected:found:)`` if the header or the payload is shorter than the dimensions
    ///     require (expected and found byte counts of the whole, uncompressed data);
    ///   - ``FormatError/sizeMismatch(file:what:expected:found:)`` if bytes follow the payload;
    ///   - ``FormatError/unsupported(file:reason:)`` if the element count overflows;
    ///   - ``FormatError/limitExceeded(file:what:limit:remedy:)`` if the declared size is above the bound, or the
    ///     compressed stream holds more than its header declares;
    ///   - ``FormatError/nonFiniteIDX(file:record:offset:value:)`` for the first NaN or infinite float element unless
    ///     `allowNonFinite`;
    ///   - gzip errors (see ``Gzip/decompress(_:limit:limitRemedy:)``) for compressed input.
    public init(bytes: [UInt8], limits: ReadLimits = .standard, allowNonFinite: Bool = false) throws(FormatError) {
        let data = Gzip.isGzip(bytes) ? try IDXFile.decompress(bytes, limits: limits) : bytes
        guard data.count >= 4 else { throw .truncated(file: nil, expected: 4, found: data.count) }
        guard data[0] == 0, data[1] == 0, let type = ElementType(rawValue: data[2]) else {
            throw .badMagic(
                file: nil, offset: 0, expected: "00 00 followed by an IDX type code (08 09 0b 0c 0d 0e)",
                found: hexBytes(data[0..<4]))
        }
        let (dimensions, expected) = try IDXFile.declaredSize(data, type: type)
        guard data.count >= expected else { throw .truncated(file: nil, expected: expected, found: data.count) }
        guard data.count == expected else {
            throw .sizeMismatch(
                file: nil, what: "IDX file size for \(type) dimensions \(dimensions)", expected: expected,
                found: data.count)
        }
        self.elementType = type
        self.dimensions = dimensions
        self.payload = Array(data[(4 + 4 * dimensions.count)...])
        if !allowNonFinite, type == .float32 || type == .float64 { try checkFinite() }
    }

    /// The dimensions in the header of the (uncompressed) data and the file size they imply.
    private static func declaredSize(_ data: [UInt8], type: ElementType) throws(FormatError) -> ([Int], Int) {
        let rank = Int(data[3])
        let headerSize = 4 + 4 * rank
        guard data.count >= headerSize else { throw .truncated(file: nil, expected: headerSize, found: data.count) }
        var dimensions: [Int] = []
        var elementCount = 1
        for axis in 0..<rank {
            let start = 4 + 4 * axis
            let extent =
                Int(data[start]) << 24 | Int(data[start + 1]) << 16 | Int(data[start + 2]) << 8
                | Int(data[start + 3])
            dimensions.append(extent)
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: extent)
            guard !overflow, product <= Int.max / 16 else {
                throw .unsupported(file: nil, reason: "IDX dimensions \(dimensions)… describe too many elements")
            }
            elementCount = product
        }
        return (dimensions, headerSize + elementCount * type.byteWidth)
    }

    /// Gunzips `bytes` within the size the IDX header inside declares (and within `limits`).
    private static func decompress(_ bytes: [UInt8], limits: ReadLimits) throws(FormatError) -> [UInt8] {
        let head = try Gzip.decompressedPrefix(bytes, count: 4 + 4 * 255)
        guard head.count >= 4, head[0] == 0, head[1] == 0, let type = ElementType(rawValue: head[2]),
            head.count >= 4 + 4 * Int(head[3])
        else {
            // Not a valid header: decompress within the general bound and let the parser report the problem.
            return try Gzip.decompress(bytes, limit: limits.maxDecompressedBytes)
        }
        let (dimensions, expected) = try declaredSize(head, type: type)
        guard expected <= limits.maxDecompressedBytes else {
            throw .limitExceeded(
                file: nil,
                what: "uncompressed size declared by the IDX header (\(type) \(dimensions): \(expected) bytes)",
                limit: limits.maxDecompressedBytes, remedy: ReadLimits.decompressedOverride)
        }
        return try Gzip.decompress(
            bytes, limit: expected,
            limitRemedy: "the size its IDX header declares for \(type) \(dimensions); the stream holds more")
    }

    /// Throws for the first NaN or infinite element of a float file.
    private func checkFinite() throws(FormatError) {
        let values = floatValues()
        guard let bad = values.firstIndex(where: { !$0.isFinite }) else { return }
        let recordSize = max(1, dimensions.dropFirst().reduce(1, *))
        throw .nonFiniteIDX(file: nil, record: bad / recordSize, offset: bad % recordSize, value: values[bad])
    }

    /// An IDX array of unsigned bytes.
    ///
    /// - Precondition: every extent is in `0...UInt32.max`, there are at most 255 dimensions, and `values.count` is
    ///   their product.
    public init(dimensions: [Int], uint8Values values: [UInt8]) {
        IDXFile.checkShape(dimensions, count: values.count)
        elementType = .uint8
        self.dimensions = dimensions
        payload = values
    }

    /// An IDX array of big-endian 32-bit floats.
    ///
    /// - Precondition: every extent is in `0...UInt32.max`, there are at most 255 dimensions, and `values.count` is
    ///   their product.
    public init(dimensions: [Int], float32Values values: [Float]) {
        IDXFile.checkShape(dimensions, count: values.count)
        elementType = .float32
        self.dimensions = dimensions
        var payload = [UInt8]()
        payload.reserveCapacity(values.count * 4)
        for value in values {
            let bits = value.bitPattern
            payload.append(UInt8(truncatingIfNeeded: bits >> 24))
            payload.append(UInt8(truncatingIfNeeded: bits >> 16))
            payload.append(UInt8(truncatingIfNeeded: bits >> 8))
            payload.append(UInt8(truncatingIfNeeded: bits))
        }
        self.payload = payload
    }

    private static func checkShape(_ dimensions: [Int], count: Int) {
        precondition(dimensions.count <= 255, "IDXFile: \(dimensions.count) dimensions, at most 255 allowed")
        precondition(
            dimensions.allSatisfy { (0...Int(UInt32.max)).contains($0) },
            "IDXFile: dimensions \(dimensions) must be in 0...\(UInt32.max)")
        precondition(
            dimensions.reduce(1, *) == count,
            "IDXFile: \(count) values do not fill dimensions \(dimensions) (\(dimensions.reduce(1, *)) elements)")
    }

    /// The raw bytes if the element type is ``ElementType/uint8`` (e.g. MNIST pixels or labels), otherwise `nil`.
    public var uint8Values: [UInt8]? {
        elementType == .uint8 ? payload : nil
    }

    /// All elements converted to `Float`, in row-major order. Unsigned bytes become `0...255` (not normalised).
    public func floatValues() -> [Float] {
        let count = self.count
        return payload.withUnsafeBufferPointer { bytes in
            [Float](unsafeUninitializedCapacity: count) { values, initialized in
                if elementType == .uint8 {
                    for index in 0..<count { values[index] = Float(bytes[index]) }
                } else {
                    for index in 0..<count { values[index] = element(bytes, index) }
                }
                initialized = count
            }
        }
    }

    /// All elements as integers if the element type is an integer type, otherwise `nil` (for class labels).
    public func integerValues() -> [Int]? {
        guard elementType != .float32, elementType != .float64 else { return nil }
        return payload.withUnsafeBufferPointer { bytes in
            (0..<count).map { Int(element(bytes, $0)) }
        }
    }

    /// Element `index` converted to `Float`.
    @inline(__always)
    private func element(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Float {
        switch elementType {
        case .uint8:
            return Float(bytes[index])
        case .int8:
            return Float(Int8(bitPattern: bytes[index]))
        case .int16:
            return Float(Int16(bitPattern: UInt16(bytes[2 * index]) << 8 | UInt16(bytes[2 * index + 1])))
        case .int32:
            return Float(Int32(bitPattern: bigEndian32(bytes, 4 * index)))
        case .float32:
            return Float(bitPattern: bigEndian32(bytes, 4 * index))
        case .float64:
            let high = UInt64(bigEndian32(bytes, 8 * index))
            let low = UInt64(bigEndian32(bytes, 8 * index + 4))
            return Float(Double(bitPattern: high << 32 | low))
        }
    }

    private func bigEndian32(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }

    /// The complete file contents: header followed by the payload (uncompressed).
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = [0, 0, elementType.rawValue, UInt8(dimensions.count)]
        bytes.reserveCapacity(4 + 4 * dimensions.count + payload.count)
        for extent in dimensions {
            let value = UInt32(extent)
            bytes += [
                UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
                UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value),
            ]
        }
        bytes += payload
        return bytes
    }

    /// Writes ``encoded()`` to `path` atomically (uncompressed; see ``BinaryFile/writeAtomically(_:to:)``).
    ///
    /// - Throws: ``FormatError/ioError(path:reason:)`` if the file cannot be written.
    public func write(to path: String) throws(FormatError) {
        try BinaryFile.writeAtomically(encoded(), to: path)
    }
}
