import Foundation
import MixupFormats
import Testing

@Suite struct SafeTensorsTests {
    private let sample = SafeTensors(
        tensors: [
            "layer1.weight": .init(shape: [2, 3], values: [1, -2, 3.5, 0, .greatestFiniteMagnitude, -0.125]),
            "layer1.bias": .init(shape: [3], values: [0.5, 0.25, -1]),
            "step": .init(shape: [], values: [42]),
            "empty": .init(shape: [0, 4], values: []),
        ],
        metadata: ["format": "pt", "note": "quote \" and \\ and\nnewline"])

    /// A safetensors file from a header JSON string and data bytes.
    private func file(header: String, data: [UInt8]) -> [UInt8] {
        let json = Array(header.utf8)
        return (0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * UInt64($0))) } + json + data
    }

    @Test func roundTripInMemory() throws {
        let bytes = sample.encoded()
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
        #expect(bytes.count == 8 + headerLength + (6 + 3 + 1) * 4)
        #expect(bytes[8] == UInt8(ascii: "{"))
        let parsed = try SafeTensors(bytes: bytes)
        #expect(parsed == sample)
        #expect(parsed.names == ["empty", "layer1.bias", "layer1.weight", "step"])
        #expect(parsed["step"]?.shape == [])
        #expect(parsed.metadata["note"] == "quote \" and \\ and\nnewline")
    }

    @Test func headerIsSortedCompactJSON() throws {
        let bytes = SafeTensors(tensors: ["b": .init(shape: [1], values: [1]), "a": .init(shape: [2], values: [2, 3])])
            .encoded()
        let header = String(decoding: bytes[8...].prefix(while: { $0 != 0 && $0 < 0x80 }), as: UTF8.self)
        #expect(
            header.hasPrefix(
                #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
            ))
        // Data: 2.0 = 00 00 00 40 little-endian.
        #expect(Array(bytes.suffix(12).prefix(4)) == [0, 0, 0, 0x40])
    }

    @Test func roundTripThroughAFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("model.safetensors")
        try sample.write(to: path)
        #expect(try SafeTensors(path: path) == sample)
        // Overwriting replaces the contents and leaves no temporary files behind.
        let smaller = SafeTensors(tensors: ["w": .init(shape: [1], values: [7])])
        try smaller.write(to: path)
        #expect(try SafeTensors(path: path) == smaller)
        #expect(try directory.contents() == ["model.safetensors"])
    }

    @Test func failedWriteLeavesExistingFileIntact() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("checkpoint.safetensors")
        try sample.write(to: path)
        let original = try BinaryFile.read(path: path)
        let replacement = SafeTensors(tensors: ["w": .init(shape: [1], values: [7])])

        // A destination inside a regular file cannot be created.
        let nested = path + "/inner.safetensors"
        let nestedError = try #require(formatError { try replacement.write(to: nested) })
        #expect(nestedError.caseName == "ioError")
        #expect(nestedError.file == nested)

        // A destination that is a non-empty directory cannot be replaced: the temporary file must be cleaned up.
        let blocker = directory.file("blocker.safetensors")
        try FileManager.default.createDirectory(atPath: blocker + "/keep", withIntermediateDirectories: true)
        let renameError = try #require(formatError { try replacement.write(to: blocker) })
        #expect(renameError.caseName == "ioError")
        #expect(renameError.description.contains(blocker))

        #expect(try BinaryFile.read(path: path) == original)
        #expect(try directory.contents() == ["blocker.safetensors", "checkpoint.safetensors"])
    }

    @Test func readsOtherDTypes() throws {
        let header =
            #"{"h":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[8,10]},"#
            + #""d":{"dtype":"F64","shape":[1],"data_offsets":[10,18]},"i":{"dtype":"I64","shape":[1],"data_offsets":[18,26]},"#
            + #""u":{"dtype":"U8","shape":[1],"data_offsets":[26,27]},"t":{"dtype":"BOOL","shape":[1],"data_offsets":[27,28]}}   "#
        var data: [UInt8] = [0x00, 0x3C, 0x00, 0xC0, 0x01, 0x00, 0x00, 0x7C]  // F16: 1, -2, 2^-24, +inf
        data += [0xC0, 0x3F]  // BF16: 1.5
        data += [0, 0, 0, 0, 0, 0, 0xF0, 0xBF]  // F64: -1
        data += [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // I64: -2
        data += [200, 1]
        let parsed = try SafeTensors(bytes: file(header: header, data: data))
        #expect(parsed["h"]?.values == [1, -2, Float(sign: .plus, exponent: -24, significand: 1), .infinity])
        #expect(parsed["b"]?.values == [1.5])
        #expect(parsed["d"]?.values == [-1])
        #expect(parsed["i"]?.values == [-2])
        #expect(parsed["u"]?.values == [200])
        #expect(parsed["t"]?.values == [1])
    }

    @Test func corruptHeaderIsAnError() throws {
        let truncatedJSON = file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]"#, data: [0, 0, 0, 0])
        let error = try #require(formatError { try SafeTensors(bytes: truncatedJSON) })
        #expect(error.caseName == "invalidHeader", "\(error)")
        #expect(formatError { try SafeTensors(bytes: file(header: "[1, 2]", data: [])) }?.caseName == "invalidHeader")
        #expect(
            formatError { try SafeTensors(bytes: file(header: #"{"__metadata__":{"k":1}}"#, data: [])) }?.caseName
                == "invalidHeader")
        let duplicate =
            #"{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}"#
        #expect(
            formatError { try SafeTensors(bytes: file(header: duplicate, data: [0, 0, 0, 0])) }?.caseName
                == "invalidHeader")
    }

    @Test func truncatedFileIsAnError() throws {
        let bytes = sample.encoded()
        #expect(formatError { try SafeTensors(bytes: [1, 0, 0]) } == .truncated(file: nil, expected: 8, found: 3))
        #expect(formatError { try SafeTensors(bytes: Array(bytes.prefix(20))) }?.caseName == "truncated")
        // Data cut short: the offsets of the last tensor reach past the end.
        let error = try #require(formatError { try SafeTensors(bytes: Array(bytes.dropLast(4))) })
        #expect(
            error
                == .invalidTensor(
                    file: nil, name: "step", reason: "data_offsets [36, 40] extend past the 36-byte data section"))
    }

    @Test func inconsistentTensorEntriesNameTheTensor() throws {
        let wrongSize = file(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])
        let sizeError = try #require(formatError { try SafeTensors(bytes: wrongSize) })
        #expect(
            sizeError
                == .invalidTensor(
                    file: nil, name: "w", reason: "data_offsets [0, 4] span 4 bytes, but shape [2] of F32 needs 8"))

        let overlap = file(
            header:
                #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
            data: [UInt8](repeating: 0, count: 8))
        let overlapError = try #require(formatError { try SafeTensors(bytes: overlap) })
        #expect(overlapError.caseName == "invalidTensor")
        #expect(
            overlapError.description.contains("\"b\"") && overlapError.description.contains("overlaps"),
            "\(overlapError)")

        let gap = file(
            header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: [UInt8](repeating: 0, count: 8))
        #expect(formatError { try SafeTensors(bytes: gap) }?.description.contains("gap") == true)

        let extraData = file(
            header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: [UInt8](repeating: 0, count: 6))
        #expect(formatError { try SafeTensors(bytes: extraData) }?.caseName == "sizeMismatch")

        let unknownType = file(
            header: #"{"c":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8))
        let typeError = try #require(formatError { try SafeTensors(bytes: unknownType) })
        #expect(typeError.description.contains("tensor \"c\"") && typeError.description.contains("C64"), "\(typeError)")

        let badShape = file(header: #"{"s":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}"#, data: [])
        #expect(formatError { try SafeTensors(bytes: badShape) }?.caseName == "invalidTensor")
    }

    @Test func errorsFromAFileNameThePath() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("broken.safetensors")
        try BinaryFile.writeAtomically(file(header: "{nope}", data: []), to: path)
        let error = try #require(formatError { try SafeTensors(path: path) })
        #expect(error.file == path)
        #expect(error.description.hasPrefix(path + ": invalid header: JSON error at header byte 1"), "\(error)")
    }
}
