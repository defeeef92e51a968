@testable import MixupFormats

// Fuzzing `CIFARBatch` for both variants: no crash; parsed labels are within the classes.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCIFAR(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for variant in [CIFARBatch.Variant.cifar10, .cifar100] {
        guard let batch = try? CIFARBatch(bytes: bytes, variant: variant) else { continue }
        if batch.labels.contains(where: { $0 < 0 || $0 >= variant.classCount }) { fatalError("cifar: bad label") }
        if batch.pixels.count != batch.labels.count * 3072 { fatalError("cifar: pixel count") }
        if let first = batch.labels.indices.first { _ = batch.image(at: first) }
    }
    return 0
}
