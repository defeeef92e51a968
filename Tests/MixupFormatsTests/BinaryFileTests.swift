import Foundation
import MixupFormats
import Testing

@Suite struct BinaryFileTests {
    @Test func writesAndReadsBack() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("bytes.bin")
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try BinaryFile.writeAtomically(bytes, to: path)
        #expect(try BinaryFile.read(path: path) == bytes)
        try BinaryFile.writeAtomically([], to: path)
        #expect(try BinaryFile.read(path: path) == [])
        #expect(try directory.contents() == ["bytes.bin"])
    }

    @Test func missingFileNamesThePath() throws {
        let error = try #require(formatError { try BinaryFile.read(path: "/nonexistent/dir/data.bin") })
        #expect(error == .ioError(path: "/nonexistent/dir/data.bin", reason: "no such file"))
        #expect(error.description == "/nonexistent/dir/data.bin: I/O error: no such file")
    }

    @Test func directoryIsNotAFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let error = try #require(formatError { try BinaryFile.read(path: directory.path) })
        #expect(error.caseName == "ioError")
        #expect(error.file == directory.path)
    }

    @Test func writingIntoAMissingDirectoryFails() throws {
        let error = try #require(formatError { try BinaryFile.writeAtomically([1], to: "/nonexistent/dir/out.bin") })
        #expect(error.caseName == "ioError")
        #expect(error.description.hasPrefix("/nonexistent/dir/out.bin: I/O error: cannot create temporary file"))
    }
}
