import MixupFormats
import Testing

@Suite struct GzipTests {
    @Test func decompressesASimpleMember() throws {
        #expect(try Gzip.decompress(DeflateVectors.gzipHello) == Array("hello, gzip\n".utf8))
    }

    @Test func handlesAllOptionalHeaderFields() throws {
        #expect(try Gzip.decompress(DeflateVectors.gzipAllFlags) == Array("gzip header flags test\n".utf8))
    }

    @Test func concatenatesMultipleMembers() throws {
        #expect(try Gzip.decompress(DeflateVectors.gzipTwoMembers) == Array("first member, second member".utf8))
    }

    @Test func decompressesEmptyContent() throws {
        #expect(try Gzip.decompress(DeflateVectors.gzipEmpty) == [])
    }

    @Test func ignoresTrailingZeroPadding() throws {
        #expect(try Gzip.decompress(DeflateVectors.gzipHello + [0, 0, 0, 0]) == Array("hello, gzip\n".utf8))
    }

    @Test func rejectsTrailingGarbage() throws {
        let error = try #require(formatError { try Gzip.decompress(DeflateVectors.gzipHello + [0x42, 0x43]) })
        #expect(error.caseName == "badMagic")
        #expect(error.description.contains("byte \(DeflateVectors.gzipHello.count)"), "\(error)")
    }

    @Test func recognisesTheSignature() {
        #expect(Gzip.isGzip(DeflateVectors.gzipHello))
        #expect(!Gzip.isGzip([0x1F]))
        #expect(!Gzip.isGzip([0, 0, 8, 1]))
    }

    @Test func corruptedCRCIsAChecksumMismatch() throws {
        var data = DeflateVectors.gzipHello
        data[data.count - 8] ^= 0xFF
        let error = try #require(formatError { try Gzip.decompress(data) })
        guard case .checksumMismatch(nil, "gzip CRC32", let stored, let computed) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(computed == CRC32.checksum(of: Array("hello, gzip\n".utf8)))
        #expect(stored == computed ^ 0xFF)
    }

    @Test func corruptedSizeIsASizeMismatch() throws {
        var data = DeflateVectors.gzipHello
        data[data.count - 4] &+= 1
        let error = try #require(formatError { try Gzip.decompress(data) })
        #expect(error.caseName == "sizeMismatch", "\(error)")
    }

    @Test func corruptedHeaderCRCIsAChecksumMismatch() throws {
        var data = DeflateVectors.gzipAllFlags
        data[12] ^= 0x01  // inside the FEXTRA field
        let error = try #require(formatError { try Gzip.decompress(data) })
        guard case .checksumMismatch(_, let kind, _, _) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(kind == "gzip header CRC16")
    }

    @Test func truncatedDataIsAnError() throws {
        let data = DeflateVectors.gzipHello
        // Inside the header, inside the compressed data, inside the trailer.
        for (length, expectedCase) in [(5, "truncated"), (20, "corruptDeflate"), (data.count - 3, "truncated")] {
            let error = try #require(formatError { try Gzip.decompress(Array(data[..<length])) })
            #expect(error.caseName == expectedCase, "cut at \(length): \(error)")
        }
        let error = try #require(formatError { try Gzip.decompress(Array(data.dropLast(3))) })
        #expect(error == .truncated(file: nil, expected: data.count, found: data.count - 3))
    }

    @Test func rejectsOtherSignaturesAndMethods() throws {
        let notGzip = try #require(formatError { try Gzip.decompress(Array(repeating: 7, count: 40)) })
        #expect(notGzip.caseName == "badMagic")
        var otherMethod = DeflateVectors.gzipHello
        otherMethod[2] = 7
        let unsupported = try #require(formatError { try Gzip.decompress(otherMethod) })
        #expect(unsupported.caseName == "unsupported")
    }
}
