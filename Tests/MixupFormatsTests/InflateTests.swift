import MixupFormats
import Testing

@Suite struct InflateTests {
    @Test func storedBlock() throws {
        let expected = Array(String(repeating: "Hello, stored block! ", count: 3).utf8)
        #expect(try Inflate.decompress(DeflateVectors.storedDeflate) == expected)
    }

    @Test func fixedHuffmanBlock() throws {
        #expect(try Inflate.decompress(DeflateVectors.fixedDeflate) == DeflateVectors.fixedText)
    }

    @Test func dynamicHuffmanBlock() throws {
        #expect(try Inflate.decompress(DeflateVectors.dynamicDeflate) == DeflateVectors.lcgText(words: 120, seed: 7))
    }

    @Test func manyDynamicBlocksWithOverlappingMatches() throws {
        let output = try Inflate.decompress(DeflateVectors.multiBlockDeflate)
        #expect(output.count == DeflateVectors.multiBlockText.count)
        #expect(output == DeflateVectors.multiBlockText)
    }

    @Test func sizeHintDoesNotChangeTheResult() throws {
        for hint in [0, 1, 10, 1_000_000] {
            let output = try Inflate.decompress(DeflateVectors.multiBlockDeflate, expectedSize: hint)
            #expect(output == DeflateVectors.multiBlockText)
        }
    }

    @Test func bytesAfterTheFinalBlockAreIgnored() throws {
        #expect(try Inflate.decompress(DeflateVectors.fixedDeflate + [1, 2, 3]) == DeflateVectors.fixedText)
    }

    @Test func emptyInputIsAnError() throws {
        let error = try #require(formatError { try Inflate.decompress([]) })
        #expect(error.caseName == "corruptDeflate")
    }

    @Test func truncatedStreamIsAnError() throws {
        for length in [1, 10, DeflateVectors.dynamicDeflate.count / 2, DeflateVectors.dynamicDeflate.count - 1] {
            let error = try #require(
                formatError { try Inflate.decompress(Array(DeflateVectors.dynamicDeflate[..<length])) })
            #expect(error.caseName == "corruptDeflate", "cut at \(length): \(error)")
        }
        let stored = try #require(
            formatError { try Inflate.decompress(Array(DeflateVectors.storedDeflate.dropLast(5))) })
        #expect(stored.description.contains("unexpected end of data"), "\(stored)")
    }

    @Test func reservedBlockTypeIsAnError() throws {
        // BFINAL = 1, BTYPE = 3.
        let error = try #require(formatError { try Inflate.decompress([0x07, 0x00]) })
        #expect(error == .corruptDeflate(file: nil, offset: 0, reason: "reserved block type 3"))
    }

    @Test func storedLengthComplementMismatchIsAnError() throws {
        let error = try #require(formatError { try Inflate.decompress([0x01, 0x05, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5]) })
        #expect(error.description.contains("complement"), "\(error)")
    }

    @Test func distanceBeforeStartOfOutputIsAnError() throws {
        // Fixed block: length code 257 (length 3, 7 bits 0000001), distance code 0 (distance 1, 5 bits 00000) as the
        // very first symbol, with no output yet.
        let error = try #require(formatError { try Inflate.decompress([0x03, 0x02, 0x00, 0x00]) })
        #expect(error.description.contains("distance 1"), "\(error)")
    }

    /// Corrupted streams must fail with an error (or decode to something), never crash or hang.
    @Test func corruptedStreamsFailCleanly() {
        var state: UInt32 = 12345
        func next() -> Int {
            state = state &* 1_664_525 &+ 1_013_904_223
            return Int(state >> 8)
        }
        let vectors = [DeflateVectors.dynamicDeflate, DeflateVectors.multiBlockDeflate, DeflateVectors.fixedDeflate]
        var failures = 0
        for trial in 0..<600 {
            var data = vectors[trial % vectors.count]
            for _ in 0..<(1 + trial % 3) {
                data[next() % data.count] ^= UInt8(truncatingIfNeeded: 1 << (next() % 8))
            }
            if formatError({ try Inflate.decompress(data) }) != nil { failures += 1 }
        }
        #expect(failures > 100)
    }

    @Test func incompleteLiteralCodeIsRejectedAsZlibDoes() throws {
        // Found by the differential fuzz harness (Fuzz/Harnesses/inflate.swift): a dynamic block whose literal/length
        // code ("A": 1 bit, end-of-block: 2 bits) leaves a quarter of the code space unused. zlib rejects it ("invalid
        // literal/lengths set"); Inflate accepted it. The same block with a third symbol filling the code decodes.
        let incomplete = hexBytes(
            "05c001040000008020000000000000000001000000000000000000000000000000000000000000000013")
        let error = try #require(formatError { try Inflate.decompress(incomplete) })
        #expect(error.caseName == "corruptDeflate")
        #expect(error.description.contains("literal/length code: incomplete Huffman code"), "\(error)")
        let complete = hexBytes(
            "05c00104000000802000000000000000000d0000000000000000000000000000000000000000000000a601")
        #expect(try Inflate.decompress(complete) == Array("AB".utf8))
    }

    @Test func moreThanThirtyDistanceCodesAreRejectedAsZlibDoes() throws {
        // The block above declaring 32 distance codes (HDIST 31); zlib: "too many length or distance symbols".
        let data = hexBytes(
            "05df0104000000802000000000000000000d000000000000000000000000000000000000000000000006000000d0")
        let error = try #require(formatError { try Inflate.decompress(data) })
        #expect(error.description.contains("too many distance codes (32 > 30)"), "\(error)")
    }

    private func hexBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }
}
