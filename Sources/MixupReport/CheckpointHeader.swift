import Foundation

/// Reads only the header of a safetensors checkpoint (8-byte little-endian length, then JSON), for its metadata,
/// without loading the tensors.
enum CheckpointHeader {
    /// The `__metadata__` strings of the checkpoint at `path`, or `nil` when there is no such file.
    static func metadata(atPath path: String) throws(ReportError) -> [String: String]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let prefix = (try? handle.read(upToCount: 8)) ?? Data()
        guard prefix.count == 8 else {
            throw .corruptFile(path: path, line: 0, reason: "shorter than the 8-byte safetensors header length")
        }
        let length = prefix.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length <= 100_000_000 else {
            throw .corruptFile(path: path, line: 0, reason: "header length \(length) is larger than 100 MB")
        }
        let header = (try? handle.read(upToCount: Int(length))) ?? Data()
        guard header.count == Int(length) else {
            throw .corruptFile(path: path, line: 0, reason: "header of \(length) bytes is cut off at \(header.count)")
        }
        guard case .object(let members) = try JSONNode.parse(header, path: path) else {
            throw .corruptFile(path: path, line: 0, reason: "the header is not a JSON object")
        }
        guard case .object(let metadata)? = members["__metadata__"] else { return [:] }
        return metadata.mapValues(\.displayText)
    }
}
