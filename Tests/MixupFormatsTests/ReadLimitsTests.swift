import Foundation
import MixupFormats
import Testing

/// Bounds on decompression and on reading files that are not regular files.
@Suite struct ReadLimitsTests {
    @Test func bombBuilderDecompressesWithinABoundThatFits() throws {
        let bomb = GzipBuilder.bomb(matches: 100)
        let output = try Gzip.decompress(bomb, limit: 1 + 258 * 100)
        #expect(output.count == 1 + 258 * 100)
        #expect(output.allSatisfy { $0 == 0x41 })
    }

    @Test func gzipBombIsRefusedAtTheBoundNamingItsDeclaredSize() throws {
        // About 6.5 kB that would expand to 1 MB.
        let bomb = GzipBuilder.bomb(matches: 4_000)
        #expect(bomb.count < 7_000)
        let error = try #require(formatError { try Gzip.decompress(bomb, limit: 100_000) })
        #expect(error.caseName == "limitExceeded")
        #expect(error.description.contains("100000"), "\(error)")
        #expect(error.description.contains("declares ISIZE 1032001 bytes"), "\(error)")
        #expect(error.description.contains("MIXUP_MAX_DECOMPRESSED_BYTES"), "\(error)")
    }

    @Test func gzipBombWithALyingSizeStopsAtTheBound() throws {
        let bomb = GzipBuilder.bomb(matches: 4_000, declaredSize: 10)
        let error = try #require(formatError { try Gzip.decompress(bomb, limit: 100_000) })
        #expect(
            error
                == .limitExceeded(
                    file: nil, what: "decompressed data", limit: 100_000,
                    remedy: "raise ReadLimits.maxDecompressedBytes or set MIXUP_MAX_DECOMPRESSED_BYTES"))
        #expect(error.description.contains("exceeds the bound of 100000"), "\(error)")
        // Raw DEFLATE has the same bound.
        let raw = Array(bomb[10..<(bomb.count - 8)])
        #expect(formatError { try Inflate.decompress(raw, limit: 5_000) }?.caseName == "limitExceeded")
        #expect(try Inflate.decompress(raw, limit: 1_032_001).count == 1_032_001)
    }

    @Test func prefixDecodesOnlyTheRequestedBytes() throws {
        let bomb = GzipBuilder.bomb(matches: 4_000, declaredSize: 10)
        #expect(try Gzip.decompressedPrefix(bomb, count: 300) == [UInt8](repeating: 0x41, count: 300))
        let stored = GzipBuilder.stored(Array("abcdef".utf8))
        #expect(try Gzip.decompressedPrefix(stored, count: 3) == Array("abc".utf8))
        #expect(try Gzip.decompressedPrefix(stored, count: 100) == Array("abcdef".utf8))
    }

    @Test func gzippedIDXIsBoundedByItsHeader() throws {
        let values = [UInt8](repeating: 7, count: 2 * 3 * 3)
        let encoded = IDXFile(dimensions: [2, 3, 3], uint8Values: values).encoded()
        // Declared size above the bound: refused before decompressing, naming the bound and the declared size.
        let small = ReadLimits(maxDecompressedBytes: 20)
        let refused = try #require(formatError { try IDXFile(bytes: GzipBuilder.stored(encoded), limits: small) })
        #expect(refused.caseName == "limitExceeded")
        #expect(refused.description.contains("bound of 20"), "\(refused)")
        #expect(refused.description.contains("\(encoded.count) bytes"), "\(refused)")
        // More data than the header declares: decompression stops at the declared size.
        let padded = GzipBuilder.stored(encoded + [UInt8](repeating: 0, count: 5_000))
        let overlong = try #require(formatError { try IDXFile(bytes: padded) })
        #expect(overlong.caseName == "limitExceeded")
        #expect(overlong.description.contains("bound of \(encoded.count)"), "\(overlong)")
        #expect(try IDXFile(bytes: GzipBuilder.stored(encoded)).uint8Values == values)
    }

    @Test func fifoIsRefusedWithoutHanging() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("pipe")
        #expect(mkfifo(path, 0o600) == 0)
        let error = try #require(formatError { try BinaryFile.read(path: path) })
        #expect(error.caseName == "ioError")
        #expect(error.description.contains(path), "\(error)")
        #expect(error.description.contains("FIFO"), "\(error)")
        #expect(formatError { try IDXFile(path: path) }?.description.contains("FIFO") == true)
        #expect(formatError { try CSVTable(path: path) }?.description.contains("FIFO") == true)
        // Allowed with a bound: a FIFO with no writer reads as empty instead of blocking.
        #expect(try BinaryFile.read(path: path, limits: ReadLimits(nonRegularFileBytes: 1_000)) == [])
    }

    @Test func deviceIsRefusedOrReadWithinTheBound() throws {
        let error = try #require(formatError { try BinaryFile.read(path: "/dev/zero") })
        #expect(error.description.contains("/dev/zero: I/O error: is a character device"), "\(error)")
        let bounded = try #require(
            formatError { try BinaryFile.read(path: "/dev/zero", limits: ReadLimits(nonRegularFileBytes: 100_000)) })
        #expect(bounded.caseName == "limitExceeded")
        #expect(bounded.description.contains("bound of 100000"), "\(bounded)")
        #expect(bounded.description.contains("MIXUP_NON_REGULAR_FILE_BYTES"), "\(bounded)")
    }

    @Test func standardLimitsHaveDocumentedDefaults() {
        let limits = ReadLimits()
        #expect(limits.maxDecompressedBytes == 1 << 30)
        #expect(limits.nonRegularFileBytes == nil)
        #expect(limits.maxClassCount == 10_000)
    }
}
