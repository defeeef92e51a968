import MixupFormats

/// Builds gzip data for tests: stored (uncompressed) members and small "bombs" that expand about 160-fold.
enum GzipBuilder {
    /// A gzip member holding `bytes` in stored DEFLATE blocks, with its CRC-32 and ISIZE.
    static func stored(_ bytes: [UInt8]) -> [UInt8] {
        var deflate: [UInt8] = []
        var offset = 0
        repeat {
            let length = min(65_535, bytes.count - offset)
            deflate.append(offset + length == bytes.count ? 1 : 0)
            deflate += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            deflate += bytes[offset..<(offset + length)]
            offset += length
        } while offset < bytes.count
        return member(deflate: deflate, crc: CRC32.checksum(of: bytes), size: UInt32(truncatingIfNeeded: bytes.count))
    }

    /// A gzip member whose fixed-Huffman DEFLATE stream is one `A` followed by `matches` copies of a 258-byte match at
    /// distance 1: it decompresses to `1 + 258 × matches` bytes of `A` from about `matches × 13 / 8` bytes. The
    /// trailer's ISIZE is the true size unless `declaredSize` overrides it (a lying header).
    static func bomb(matches: Int, declaredSize: UInt32? = nil) -> [UInt8] {
        var writer = DeflateBitWriter()
        writer.bits(1, count: 1)  // BFINAL
        writer.bits(1, count: 2)  // BTYPE 01: fixed Huffman
        writer.code(0x30 + 0x41, length: 8)  // literal "A"
        for _ in 0..<matches {
            writer.code(0xC5, length: 8)  // length code 285: 258 bytes
            writer.code(0, length: 5)  // distance code 0: distance 1
        }
        writer.code(0, length: 7)  // end of block
        let size = 1 + 258 * matches
        var crc = CRC32()
        crc.update(with: [UInt8](repeating: 0x41, count: size))
        return member(deflate: writer.bytes, crc: crc.value, size: declaredSize ?? UInt32(truncatingIfNeeded: size))
    }

    private static func member(deflate: [UInt8], crc: UInt32, size: UInt32) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF] + deflate
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: size >> UInt32(shift))) }
        return out
    }
}

/// Writes bits least significant first, as DEFLATE packs them.
struct DeflateBitWriter {
    var bytes: [UInt8] = []
    private var used = 8

    mutating func bits(_ value: Int, count: Int) {
        for index in 0..<count {
            if used == 8 {
                bytes.append(0)
                used = 0
            }
            if (value >> index) & 1 == 1 { bytes[bytes.count - 1] |= 1 << UInt8(used) }
            used += 1
        }
    }

    /// A Huffman code, written most significant bit first.
    mutating func code(_ value: Int, length: Int) {
        for index in stride(from: length - 1, through: 0, by: -1) { bits((value >> index) & 1, count: 1) }
    }
}
