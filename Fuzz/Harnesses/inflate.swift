@testable import MixupFormats

// Differential fuzzing of `Inflate` against the system zlib: both must accept or reject the same raw DEFLATE streams,
// and produce the same bytes when they accept.

/// zlib's raw inflate (Fuzz/zlib_shim.c).
@_silgen_name("fuzz_zlib_inflate_raw")
func zlibInflateRaw(
    _ input: UnsafePointer<UInt8>?, _ count: Int, _ output: UnsafeMutablePointer<UInt8>?, _ capacity: Int,
    _ produced: UnsafeMutablePointer<Int>
) -> Int32

/// Output bound for both decoders: streams that reach it get no verdict.
let outputCapacity = 1 << 20

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInflate(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var reference = [UInt8](repeating: 0, count: outputCapacity)
    var produced = 0
    let verdict = reference.withUnsafeMutableBufferPointer { output in
        zlibInflateRaw(data, size, output.baseAddress, outputCapacity, &produced)
    }
    let ours: Result<[UInt8], FormatError>
    do {
        ours = .success(try Inflate.decompress(bytes, limit: outputCapacity))
    } catch {
        ours = .failure(error)
    }
    if case .failure(.limitExceeded) = ours { return 0 }
    switch (verdict, ours) {
    case (2, _):
        return 0
    case (1, .success(let output)):
        if output != Array(reference[0..<produced]) {
            fatalError("inflate: output differs from zlib (\(output.count) vs \(produced) bytes)")
        }
    case (1, .failure(let error)):
        fatalError("inflate: zlib accepts (\(produced) bytes) but Inflate rejects: \(error)")
    case (_, .success(let output)):
        fatalError("inflate: zlib rejects but Inflate accepts (\(output.count) bytes)")
    default:
        break
    }
    return 0
}
