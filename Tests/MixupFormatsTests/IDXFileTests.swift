import Foundation
import MixupFormats
import Testing

@Suite struct IDXFileTests {
    @Test func uint8RoundTrip() throws {
        let values = (0..<24).map { UInt8($0 * 10) }
        let original = IDXFile(dimensions: [2, 3, 4], uint8Values: values)
        let bytes = original.encoded()
        #expect(Array(bytes[0..<8]) == [0, 0, 0x08, 3, 0, 0, 0, 2])
        #expect(bytes.count == 4 + 3 * 4 + 24)
        let parsed = try IDXFile(bytes: bytes)
        #expect(parsed == original)
        #expect(parsed.elementType == .uint8)
        #expect(parsed.dimensions == [2, 3, 4])
        #expect(parsed.count == 24)
        #expect(parsed.uint8Values == values)
        #expect(parsed.floatValues() == values.map(Float.init))
        #expect(parsed.integerValues() == values.map(Int.init))
    }

    @Test func float32RoundTripThroughAFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let values: [Float] = [0, -1.5, 3.25, .infinity, 1e-30, 65504]
        let path = directory.file("values.idx")
        try IDXFile(dimensions: [3, 2], float32Values: values).write(to: path)
        // Infinity is stored faithfully; reading it back needs the explicit opt-in.
        #expect(formatError { try IDXFile(path: path) }?.caseName == "nonFiniteIDX")
        let parsed = try IDXFile(path: path, allowNonFinite: true)
        #expect(parsed.elementType == .float32)
        #expect(parsed.dimensions == [3, 2])
        #expect(parsed.floatValues() == values)
        #expect(parsed.uint8Values == nil)
        #expect(parsed.integerValues() == nil)
        // Big-endian on disk: -1.5 is 0xBFC00000.
        let raw = try BinaryFile.read(path: path)
        #expect(Array(raw[16..<20]) == [0xBF, 0xC0, 0x00, 0x00])
    }

    @Test func readsOtherElementTypes() throws {
        let int8 = try IDXFile(bytes: [0, 0, 0x09, 1, 0, 0, 0, 3, 0xFF, 0x7F, 0x80])
        #expect(int8.floatValues() == [-1, 127, -128])
        let int16 = try IDXFile(bytes: [0, 0, 0x0B, 1, 0, 0, 0, 2, 0xFF, 0xFE, 0x01, 0x00])
        #expect(int16.integerValues() == [-2, 256])
        let int32 = try IDXFile(bytes: [0, 0, 0x0C, 1, 0, 0, 0, 1, 0x00, 0x01, 0x00, 0x00])
        #expect(int32.floatValues() == [65536])
        let float64 = try IDXFile(bytes: [0, 0, 0x0E, 1, 0, 0, 0, 1, 0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18])
        #expect(float64.floatValues() == [Float(Double.pi)])
    }

    @Test func readsGzippedData() throws {
        let labels = try IDXFile(bytes: DeflateVectors.gzippedIDXLabels)
        #expect(labels.dimensions == [5])
        #expect(labels.uint8Values == [3, 1, 4, 1, 5])
    }

    @Test func truncatedPayloadNamesFileAndSizes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("short-idx3-ubyte")
        var bytes = IDXFile(dimensions: [2, 2, 2], uint8Values: Array(repeating: 1, count: 8)).encoded()
        bytes.removeLast(3)
        try BinaryFile.writeAtomically(bytes, to: path)
        let error = try #require(formatError { try IDXFile(path: path) })
        #expect(error == .truncated(file: path, expected: 24, found: 21))
        #expect(error.description == "\(path): truncated: expected 24 bytes, found 21")
    }

    @Test func truncatedHeaderIsAnError() throws {
        #expect(formatError { try IDXFile(bytes: [0, 0, 8]) } == .truncated(file: nil, expected: 4, found: 3))
        #expect(
            formatError { try IDXFile(bytes: [0, 0, 8, 2, 0, 0, 0, 1]) }
                == .truncated(file: nil, expected: 12, found: 8))
    }

    @Test func trailingBytesAreASizeMismatch() throws {
        let bytes = IDXFile(dimensions: [2], uint8Values: [1, 2]).encoded() + [9]
        let error = try #require(formatError { try IDXFile(bytes: bytes) })
        guard case .sizeMismatch(nil, _, 10, 11) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
    }

    @Test func badMagicIsAnError() throws {
        let error = try #require(formatError { try IDXFile(bytes: [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]) })
        #expect(error.caseName == "badMagic")
        #expect(error.description.contains("50 4b 03 04"), "\(error)")
        let unknownType = try #require(formatError { try IDXFile(bytes: [0, 0, 0x0A, 1, 0, 0, 0, 0]) })
        #expect(unknownType.caseName == "badMagic")
    }

    @Test func missingFileNamesThePath() throws {
        let error = try #require(formatError { try IDXFile(path: "/nonexistent/train-images-idx3-ubyte.gz") })
        #expect(error == .ioError(path: "/nonexistent/train-images-idx3-ubyte.gz", reason: "no such file"))
        #expect(error.description.hasPrefix("/nonexistent/train-images-idx3-ubyte.gz: "))
    }

    @Test func nonFiniteFloatsAreRejectedNamingRecordAndElement() throws {
        var values = [Float](repeating: 0.5, count: 3 * 2 * 2)
        values[2 * 4 + 3] = .nan
        let encoded = IDXFile(dimensions: [3, 2, 2], float32Values: values).encoded()
        let error = try #require(formatError { try IDXFile(bytes: encoded) })
        #expect(error.caseName == "nonFiniteIDX")
        #expect(error.description.contains("record 2, element 3: value nan"), "\(error)")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("images-idx3-float")
        try BinaryFile.writeAtomically(GzipBuilder.stored(encoded), to: path)
        #expect(formatError { try IDXFile(path: path) }?.description.hasPrefix("\(path): record 2") == true)
        let allowed = try IDXFile(bytes: encoded, allowNonFinite: true)
        #expect(allowed.floatValues()[11].isNaN)
        values[11] = -.infinity
        let infinite = formatError { try IDXFile(bytes: IDXFile(dimensions: [12], float32Values: values).encoded()) }
        #expect(infinite == .nonFiniteIDX(file: nil, record: 11, offset: 0, value: -.infinity))
    }
}
