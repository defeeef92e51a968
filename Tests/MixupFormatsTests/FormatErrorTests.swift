import MixupFormats
import Testing

@Suite struct FormatErrorTests {
    @Test func descriptionsAreOneLineAndNameTheFileAndValues() {
        let cases: [(FormatError, String)] = [
            (.truncated(file: "a.idx", expected: 24, found: 21), "a.idx: truncated: expected 24 bytes, found 21"),
            (
                .checksumMismatch(file: "x.gz", kind: "gzip CRC32", expected: 0xCBF4_3926, found: 0x1A),
                "x.gz: gzip CRC32 mismatch: stored 0xCBF43926, computed 0x0000001A"
            ),
            (
                .badMagic(file: nil, offset: 0, expected: "1f 8b", found: "50 4b"),
                "<memory>: bad magic at byte 0: expected 1f 8b, found 50 4b"
            ),
            (
                .corruptDeflate(file: "y.gz", offset: 17, reason: "bad code"),
                "y.gz: corrupt DEFLATE data at byte 17: bad code"
            ),
            (.invalidCSV(file: "t.csv", line: 3, reason: "oops"), "t.csv:3: invalid CSV: oops"),
            (
                .invalidLabel(file: "b.bin", record: 2, value: 12, limit: 10),
                "b.bin: record 2: label 12 out of range 0..<10"
            ),
            (.invalidTensor(file: "m.safetensors", name: "w", reason: "bad"), "m.safetensors: tensor \"w\": bad"),
            (.ioError(path: "/p", reason: "no such file"), "/p: I/O error: no such file"),
        ]
        for (error, expected) in cases {
            #expect(error.description == expected)
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func attachingAFileOnlyFillsAMissingOne() {
        let anonymous = FormatError.truncated(file: nil, expected: 2, found: 1)
        #expect(anonymous.attaching(file: "f") == .truncated(file: "f", expected: 2, found: 1))
        let named = FormatError.truncated(file: "g", expected: 2, found: 1)
        #expect(named.attaching(file: "f") == named)
    }
}
