/// A decoder for raw DEFLATE streams (RFC 1951): stored, fixed-Huffman and dynamic-Huffman blocks.
///
/// Decoding is table driven (two-level lookup tables, a 64-bit bit buffer, unsafe buffers), fast enough for tens of
/// megabytes per second even in debug builds and several hundred in release builds. For `.gz` files use ``Gzip``.
public enum Inflate {
    /// Decompresses the raw DEFLATE stream at the start of `data`.
    ///
    /// Decoding stops at the end of the final block; any bytes after it are ignored.
    ///
    /// - Parameter expectedSize: the decompressed size if known (e.g. from a container), used only to size the output
    ///   buffer up front.
    /// - Parameter limit: the most bytes the output may hold; ``ReadLimits/maxDecompressedBytes`` of
    ///   ``ReadLimits/standard`` by default.
    /// - Throws: ``FormatError/corruptDeflate(file:offset:reason:)`` naming the input byte offset if the stream is
    ///   malformed or ends before its final block; ``FormatError/limitExceeded(file:what:limit:remedy:)`` naming
    ///   `limit` if the output would exceed it.
    public static func decompress(
        _ data: [UInt8], expectedSize: Int? = nil, limit: Int? = nil
    ) throws(FormatError) -> [UInt8] {
        let limit = limit ?? ReadLimits.standard.maxDecompressedBytes
        return try data.withUnsafeBufferPointer { (buffer) throws(FormatError) -> [UInt8] in
            guard let base = buffer.baseAddress, !buffer.isEmpty else {
                throw .corruptDeflate(file: nil, offset: 0, reason: "unexpected end of data (empty input)")
            }
            // DEFLATE cannot expand by more than about 1032:1; never trust a hint beyond that.
            let hint = min(expectedSize ?? buffer.count * 4, buffer.count * 1032)
            var engine = InflateEngine(
                input: base, count: buffer.count, expectedOutputCount: hint, outputLimit: limit,
                limitRemedy: ReadLimits.decompressedOverride)
            _ = try engine.inflateStream(at: 0)
            return engine.takeOutput()
        }
    }
}
