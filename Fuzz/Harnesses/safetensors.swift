@testable import MixupFormats

// Fuzzing `SafeTensors` and its JSON header parser: the first byte chooses the JSON parser alone or the whole file.
// No crash; a parsed file round-trips through `encoded()`.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    if data[0] & 1 == 0 {
        if case .success(let value) = JSONValue.parse(bytes[...]) {
            _ = value == value
        }
        return 0
    }
    guard let file = try? SafeTensors(bytes: bytes) else { return 0 }
    guard let again = try? SafeTensors(bytes: file.encoded()) else { fatalError("safetensors: re-encoding unreadable") }
    for (name, tensor) in file.tensors {
        guard let other = again.tensors[name], other.shape == tensor.shape,
            other.values.map(\.bitPattern) == tensor.values.map(\.bitPattern)
        else { fatalError("safetensors: tensor \(name) changed in a round trip") }
    }
    if again.metadata != file.metadata { fatalError("safetensors: metadata changed in a round trip") }
    return 0
}
