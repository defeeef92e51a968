/// A minimal PNG writer: 8-bit grayscale or RGB images, stored (uncompressed) deflate blocks, for small figures such
/// as the tiles of `mixup preview`. The output is a valid PNG (signature, IHDR, IDAT, IEND, CRC-32 and Adler-32).
public enum PNGEncoder {
    /// The bytes of a PNG of `width × height` pixels.
    ///
    /// - Parameters:
    ///   - width: pixels per row, ≥ 1.
    ///   - height: rows, ≥ 1.
    ///   - channels: 1 (grayscale) or 3 (RGB).
    ///   - pixels: `height × width × channels` bytes, row-major, channels interleaved.
    /// - Throws: ``FormatError/unsupported(file:reason:)`` naming a size or channel count that does not fit,
    ///   ``FormatError/sizeMismatch(file:what:expected:found:)`` when `pixels` has the wrong length.
    public static func encode(width: Int, height: Int, channels: Int, pixels: [UInt8]) throws(FormatError) -> [UInt8] {
        guard width >= 1, height >= 1, width <= 1 << 24, height <= 1 << 24 else {
            throw .unsupported(file: nil, reason: "a PNG of \(width)×\(height) pixels: each side must be 1 to 2²⁴")
        }
        guard channels == 1 || channels == 3 else {
            throw .unsupported(file: nil, reason: "a PNG with \(channels) channels: must be 1 (gray) or 3 (RGB)")
        }
        guard pixels.count == width * height * channels else {
            throw .sizeMismatch(
                file: nil, what: "PNG pixel bytes (\(width)×\(height)×\(channels))",
                expected: width * height * channels,
                found: pixels.count)
        }
        // Scanlines, each led by filter type 0 (none).
        var raw: [UInt8] = []
        raw.reserveCapacity(height * (width * channels + 1))
        for row in 0..<height {
            raw.append(0)
            raw += pixels[(row * width * channels)..<((row + 1) * width * channels)]
        }
        var header: [UInt8] = []
        appendBigEndian(UInt32(width), to: &header)
        appendBigEndian(UInt32(height), to: &header)
        header += [8, channels == 1 ? 0 : 2, 0, 0, 0]
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", zlibStored(raw), to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    /// `bytes` as a zlib stream of stored deflate blocks (at most 65 535 bytes each).
    static func zlibStored(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65_535, bytes.count - offset)
            let isLast = offset + length == bytes.count
            out.append(isLast ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += bytes[offset..<(offset + length)]
            offset += length
        } while offset < bytes.count
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        appendBigEndian((b << 16) | a, to: &out)
        return out
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        appendBigEndian(UInt32(data.count), to: &png)
        let typeBytes = Array(type.utf8)
        var crc = CRC32()
        crc.update(with: typeBytes + data)
        png += typeBytes + data
        appendBigEndian(crc.value, to: &png)
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
