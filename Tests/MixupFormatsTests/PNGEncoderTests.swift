import MixupFormats
import Testing

@Suite struct PNGEncoderTests {
    /// The chunks are well formed (lengths, CRC-32) and the image data inflates back to the filtered scanlines.
    @Test(arguments: [(3, 2, 1), (5, 4, 3), (200, 120, 3)])
    func encodesAValidPNG(width: Int, height: Int, channels: Int) throws {
        let pixels = (0..<(width * height * channels)).map { UInt8($0 % 251) }
        let png = try PNGEncoder.encode(width: width, height: height, channels: channels, pixels: pixels)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var offset = 8
        var types: [String] = []
        var idat: [UInt8] = []
        while offset < png.count {
            let length = png[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            let type = Array(png[(offset + 4)..<(offset + 8)])
            let data = Array(png[(offset + 8)..<(offset + 8 + length)])
            let crc = png[(offset + 8 + length)..<(offset + 12 + length)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            #expect(crc == CRC32.checksum(of: type + data))
            types.append(String(decoding: type, as: UTF8.self))
            if types.last == "IDAT" { idat += data }
            offset += 12 + length
        }
        #expect(types == ["IHDR", "IDAT", "IEND"])
        let raw = try Inflate.decompress(Array(idat.dropFirst(2).dropLast(4)))
        var expected: [UInt8] = []
        for row in 0..<height { expected += [0] + pixels[(row * width * channels)..<((row + 1) * width * channels)] }
        #expect(raw == expected)
    }

    @Test func badArgumentsThrowNamingTheValue() {
        #expect { try PNGEncoder.encode(width: 0, height: 2, channels: 1, pixels: []) } throws: {
            "\($0)".contains("0×2")
        }
        #expect { try PNGEncoder.encode(width: 1, height: 1, channels: 4, pixels: [0, 0, 0, 0]) } throws: {
            "\($0)".contains("4 channels")
        }
        #expect { try PNGEncoder.encode(width: 2, height: 2, channels: 1, pixels: [1]) } throws: {
            "\($0)".contains("1")
        }
    }
}
