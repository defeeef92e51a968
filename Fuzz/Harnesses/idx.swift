@testable import MixupFormats

// Fuzzing `IDXFile` (raw and gzip-compressed): no crash within a small bound, and a parsed file re-encodes to its
// uncompressed input.

let limits = ReadLimits(maxDecompressedBytes: 1 << 22)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for allowNonFinite in [false, true] {
        guard let file = try? IDXFile(bytes: bytes, limits: limits, allowNonFinite: allowNonFinite) else { continue }
        let values = file.floatValues()
        if values.count != file.dimensions.reduce(1, *) { fatalError("idx: \(values.count) values for \(file.dimensions)") }
        if !allowNonFinite, values.contains(where: { !$0.isFinite }), file.elementType == .float32 {
            fatalError("idx: non-finite value accepted without the opt-in")
        }
        _ = file.integerValues()
        if !Gzip.isGzip(bytes), file.encoded() != bytes { fatalError("idx: re-encoding differs from the input") }
    }
    return 0
}
