@testable import MixupFormats

// Fuzzing `Gzip`: no crash, output within the bound, a successful decode is reproducible, and the prefix decoder
// agrees with the full decoder.

let outputLimit = 1 << 22

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let output = try? Gzip.decompress(bytes, limit: outputLimit) else {
        _ = try? Gzip.decompressedPrefix(bytes, count: 64)
        return 0
    }
    if output.count > outputLimit { fatalError("gzip: \(output.count) bytes past the bound \(outputLimit)") }
    let count = Int(bytes.first ?? 0)
    if let prefix = try? Gzip.decompressedPrefix(bytes, count: count), prefix != Array(output.prefix(prefix.count)) {
        fatalError("gzip: prefix of \(count) bytes differs from the full output")
    }
    return 0
}
