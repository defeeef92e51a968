/// The gzip container format (RFC 1952) around DEFLATE data.
///
/// Handles the optional header fields (FEXTRA, FNAME, FCOMMENT, FHCRC), checks each member's trailer (CRC-32 and
/// ISIZE), and concatenates the output of multiple members, as `gunzip` does. Trailing zero bytes after the last member
/// (padding added by some tools) are ignored; any other trailing data is an error.
public enum Gzip {
    /// The two signature bytes every gzip member starts with.
    public static let magic: [UInt8] = [0x1F, 0x8B]

    /// Whether `data` starts with the gzip signature `1f 8b`.
    public static func isGzip(_ data: [UInt8]) -> Bool {
        data.count >= 2 && data[0] == magic[0] && data[1] == magic[1]
    }

    /// Decompresses all members of the gzip data `data` and returns their concatenated contents.
    ///
    /// The output is bounded by `limit` bytes: the output buffer never grows past it (the initial size comes from the
    /// last member's ISIZE, capped by `limit`), and decoding stops as soon as the output would pass it — whatever the
    /// trailer declares (an ISIZE that lies, several members). The error then names the bound and any ISIZE above it.
    ///
    /// - Parameters:
    ///   - limit: the most bytes the output may hold; ``ReadLimits/maxDecompressedBytes`` of ``ReadLimits/standard``
    ///     by default.
    ///   - limitRemedy: how the caller's user can raise `limit`, quoted in the error.
    /// - Throws:
    ///   - ``FormatError/badMagic(file:offset:expected:found:)`` if a member does not start with `1f 8b` or trailing
    ///     non-zero bytes follow the last member;
    ///   - ``FormatError/unsupported(file:reason:)`` for a compression method other than DEFLATE or reserved flags;
    ///   - ``FormatError/truncated(file:expected:found:)`` if a header or trailer is cut short;
    ///   - ``FormatError/corruptDeflate(file:offset:reason:)`` if the compressed data is malformed or truncated;
    ///   - ``FormatError/checksumMismatch(file:kind:expected:found:)`` if a header CRC-16 or member CRC-32 is wrong;
    ///   - ``FormatError/sizeMismatch(file:what:expected:found:)`` if a member's ISIZE disagrees with its output;
    ///   - ``FormatError/limitExceeded(file:what:limit:remedy:)`` naming `limit` if the output would exceed it.
    public static func decompress(
        _ data: [UInt8], limit: Int? = nil, limitRemedy: String? = nil
    ) throws(FormatError) -> [UInt8] {
        let limit = limit ?? ReadLimits.standard.maxDecompressedBytes
        let remedy = limitRemedy ?? ReadLimits.decompressedOverride
        return try data.withUnsafeBufferPointer { (buffer) throws(FormatError) -> [UInt8] in
            guard let base = buffer.baseAddress, buffer.count >= 18 else {
                if buffer.count >= 2, buffer[0] != magic[0] || buffer[1] != magic[1] {
                    throw .badMagic(file: nil, offset: 0, expected: "1f 8b", found: hexBytes(data[...]))
                }
                throw .truncated(file: nil, expected: 18, found: buffer.count)
            }
            // ISIZE of the last member: the whole output size for the usual single-member file (modulo 2^32), and a
            // lower bound on the output size in any case.
            let lastSize = Int(readLittleEndian32(buffer, at: buffer.count - 4))
            // The last 4 bytes are only an ISIZE if the data is well formed, so a declared size above the bound is
            // not refused before decoding (the error would be wrong for truncated or padded data); it is named in
            // the message when decoding does pass the bound.
            let declared = lastSize > limit ? "; the gzip trailer declares ISIZE \(lastSize) bytes" : ""
            let hint = min(max(lastSize, buffer.count), buffer.count * 1032)
            var engine = InflateEngine(
                input: base, count: buffer.count, expectedOutputCount: hint, outputLimit: limit,
                limitRemedy: remedy + declared)
            var offset = 0
            repeat {
                let dataStart = try parseHeader(buffer, at: offset)
                let outputStart = engine.outputCount
                let end = try engine.inflateStream(at: dataStart)
                guard end + 8 <= buffer.count else {
                    throw .truncated(file: nil, expected: end + 8, found: buffer.count)
                }
                let storedCRC = readLittleEndian32(buffer, at: end)
                let computedCRC = engine.outputChecksum(outputStart..<engine.outputCount)
                guard storedCRC == computedCRC else {
                    throw .checksumMismatch(file: nil, kind: "gzip CRC32", expected: storedCRC, found: computedCRC)
                }
                let storedSize = readLittleEndian32(buffer, at: end + 4)
                let memberSize = engine.outputCount - outputStart
                guard storedSize == UInt32(truncatingIfNeeded: memberSize) else {
                    throw .sizeMismatch(
                        file: nil, what: "gzip ISIZE (uncompressed size mod 2^32)", expected: Int(storedSize),
                        found: Int(UInt32(truncatingIfNeeded: memberSize)))
                }
                offset = end + 8
                if offset < buffer.count, buffer[offset...].allSatisfy({ $0 == 0 }) { break }
            } while offset < buffer.count
            return engine.takeOutput()
        }
    }

    /// The first `count` decompressed bytes of the first member of the gzip data `data` (fewer if the member is
    /// shorter), without decoding the rest; for reading a header that declares the full size before decompressing.
    ///
    /// No checksum is verified (the member is not decoded to its end); ``decompress(_:limit:limitRemedy:)`` does that.
    ///
    /// - Throws: the header and DEFLATE errors of ``decompress(_:limit:limitRemedy:)`` met within the prefix.
    public static func decompressedPrefix(_ data: [UInt8], count: Int) throws(FormatError) -> [UInt8] {
        try data.withUnsafeBufferPointer { (buffer) throws(FormatError) -> [UInt8] in
            guard let base = buffer.baseAddress, buffer.count >= 18 else {
                if buffer.count >= 2, buffer[0] != magic[0] || buffer[1] != magic[1] {
                    throw .badMagic(file: nil, offset: 0, expected: "1f 8b", found: hexBytes(data[...]))
                }
                throw .truncated(file: nil, expected: 18, found: buffer.count)
            }
            var engine = InflateEngine(
                input: base, count: buffer.count, expectedOutputCount: count, outputLimit: max(count, 0))
            let dataStart = try parseHeader(buffer, at: 0)
            do throws(FormatError) {
                _ = try engine.inflateStream(at: dataStart)
            } catch {
                guard case .limitExceeded = error else { throw error }
            }
            return engine.takeOutput()
        }
    }

    /// Validates the member header at `offset` and returns the offset of its compressed data.
    private static func parseHeader(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) throws(FormatError) -> Int {
        let available = buffer[offset..<min(buffer.count, offset + 2)]
        guard available.elementsEqual(magic.prefix(available.count)) else {
            let shown = hexBytes(ArraySlice(buffer[offset..<min(buffer.count, offset + 8)]))
            throw .badMagic(file: nil, offset: offset, expected: "1f 8b (gzip member)", found: shown)
        }
        guard offset + 10 <= buffer.count else {
            throw .truncated(file: nil, expected: offset + 10, found: buffer.count)
        }
        guard buffer[offset + 2] == 8 else {
            throw .unsupported(file: nil, reason: "gzip compression method \(buffer[offset + 2]) (only 8, DEFLATE)")
        }
        let flags = buffer[offset + 3]
        guard flags & 0xE0 == 0 else {
            throw .unsupported(file: nil, reason: "reserved gzip flag bits set in \(flags)")
        }
        var position = offset + 10
        if flags & 0x04 != 0 {  // FEXTRA
            guard position + 2 <= buffer.count else {
                throw .truncated(file: nil, expected: position + 2, found: buffer.count)
            }
            let extraLength = Int(buffer[position]) | Int(buffer[position + 1]) << 8
            position += 2 + extraLength
            guard position <= buffer.count else { throw .truncated(file: nil, expected: position, found: buffer.count) }
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
            while position < buffer.count, buffer[position] != 0 { position += 1 }
            guard position < buffer.count else {
                throw .truncated(file: nil, expected: position + 1, found: buffer.count)
            }
            position += 1
        }
        if flags & 0x02 != 0 {  // FHCRC: low 16 bits of the CRC-32 of the header so far
            guard position + 2 <= buffer.count else {
                throw .truncated(file: nil, expected: position + 2, found: buffer.count)
            }
            let stored = UInt32(buffer[position]) | UInt32(buffer[position + 1]) << 8
            let computed = CRC32.update(0, UnsafeBufferPointer(rebasing: buffer[offset..<position])) & 0xFFFF
            guard stored == computed else {
                throw .checksumMismatch(file: nil, kind: "gzip header CRC16", expected: stored, found: computed)
            }
            position += 2
        }
        return position
    }

    private static func readLittleEndian32(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt32 {
        UInt32(buffer[offset]) | UInt32(buffer[offset + 1]) << 8 | UInt32(buffer[offset + 2]) << 16
            | UInt32(buffer[offset + 3]) << 24
    }
}
