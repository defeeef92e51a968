import MixupFormats
import Testing

@Suite struct CRC32Tests {
    @Test func checkValueOfDigits() {
        #expect(CRC32.checksum(of: Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func knownValues() {
        #expect(CRC32.checksum(of: [UInt8]()) == 0)
        #expect(CRC32.checksum(of: [0]) == 0xD202_EF8D)
        #expect(CRC32.checksum(of: Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        #expect(CRC32.checksum(of: [UInt8](repeating: 0xFF, count: 32)) == 0xFF6C_AB0B)
    }

    @Test func incrementalUpdatesMatchOneShot() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let expected = CRC32.checksum(of: data)
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            var crc = CRC32()
            crc.update(with: Array(data[..<split]))
            crc.update(with: Array(data[split...]))
            #expect(crc.value == expected, "split at \(split)")
            #expect(CRC32.checksum(of: data[..<split]) == CRC32.checksum(of: Array(data[..<split])))
        }
    }
}
