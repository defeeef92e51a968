/// The IEEE 802.3 CRC-32 checksum (reflected polynomial `0xEDB88320`), as used by gzip, zip and PNG.
///
/// Table-driven, eight bytes per step ("slicing-by-8"). Feed data incrementally with `update(with:)` or use
/// `checksum(of:)` for a one-shot value. `CRC32.checksum(of: Array("123456789".utf8)) == 0xCBF43926`.
public struct CRC32: Sendable, Hashable {
    /// The checksum of everything fed so far (`0` for no data).
    public private(set) var value: UInt32

    /// A checksum of no data.
    public init() {
        value = 0
    }

    /// Continues the checksum with `bytes`.
    public mutating func update(with bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { update(with: $0) }
    }

    /// Continues the checksum with the bytes in `buffer`.
    public mutating func update(with buffer: UnsafeBufferPointer<UInt8>) {
        value = CRC32.update(value, buffer)
    }

    /// The CRC-32 of `bytes`.
    public static func checksum(of bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { update(0, $0) }
    }

    /// The CRC-32 of `bytes`.
    public static func checksum(of bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { update(0, $0) }
    }

    /// Eight 256-entry tables: `tables[k * 256 + b]` is the CRC contribution of byte `b` followed by `k` zero bytes.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            tables[byte] = crc
        }
        for byte in 0..<256 {
            var crc = tables[byte]
            for slice in 1..<8 {
                crc = (crc >> 8) ^ tables[Int(crc & 0xFF)]
                tables[slice * 256 + byte] = crc
            }
        }
        return tables
    }()

    /// The CRC-32 of the data summarised by `crc` followed by `buffer`.
    static func update(_ crc: UInt32, _ buffer: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard let start = buffer.baseAddress, buffer.count > 0 else { return crc }
        return tables.withUnsafeBufferPointer { tablesBuffer -> UInt32 in
            guard let table = tablesBuffer.baseAddress else { return crc }
            var c = ~crc
            var pointer = start
            var remaining = buffer.count
            while remaining >= 8 {
                // Little-endian assembly of two words, byte by byte (no alignment assumptions).
                let low =
                    UInt32(pointer[0]) | UInt32(pointer[1]) << 8 | UInt32(pointer[2]) << 16
                    | UInt32(pointer[3]) << 24
                let high =
                    UInt32(pointer[4]) | UInt32(pointer[5]) << 8 | UInt32(pointer[6]) << 16
                    | UInt32(pointer[7]) << 24
                let x = c ^ low
                c =
                    table[7 * 256 + Int(x & 0xFF)] ^ table[6 * 256 + Int((x >> 8) & 0xFF)]
                    ^ table[5 * 256 + Int((x >> 16) & 0xFF)] ^ table[4 * 256 + Int(x >> 24)]
                    ^ table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ table[1 * 256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
                pointer += 8
                remaining -= 8
            }
            while remaining > 0 {
                c = (c >> 8) ^ table[Int((c ^ UInt32(pointer[0])) & 0xFF)]
                pointer += 1
                remaining -= 1
            }
            return ~c
        }
    }
}
