import Foundation

/// Whole-file byte I/O with errors that name the path.
///
/// Reading loads the entire file into memory; writing is atomic (temporary file in the same directory, then `rename`),
/// so a reader never observes a half-written file and an existing file survives a failed write.
public enum BinaryFile {
    /// Reads the whole file at `path`.
    ///
    /// - Throws: ``FormatError/ioError(path:reason:)`` if the file is missing, is a directory, or cannot be read.
    public static func read(path: String) throws(FormatError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .ioError(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .ioError(path: path, reason: "is a directory, not a file") }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .ioError(path: path, reason: "cannot open: \(errorMessage())") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw .ioError(path: path, reason: "cannot stat: \(errorMessage())")
        }
        let expectedSize = Int(status.st_size)
        var bytes = [UInt8](repeating: 0, count: expectedSize)
        var filled = 0
        var failure: String?
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while filled < expectedSize {
                let got = Foundation.read(descriptor, base + filled, expectedSize - filled)
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = errorMessage()
                    return
                }
                if got == 0 { break }
                filled += got
            }
        }
        if let failure { throw .ioError(path: path, reason: "read failed: \(failure)") }
        if filled < expectedSize {
            // The file shrank while being read.
            throw .ioError(path: path, reason: "file changed while reading: \(filled) of \(expectedSize) bytes read")
        }
        // Some special files report size 0 but have content; read the rest, if any, in chunks.
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let got = chunk.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Foundation.read(descriptor, base, buffer.count)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw .ioError(path: path, reason: "read failed: \(errorMessage())")
            }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[0..<got])
        }
        return bytes
    }

    /// Writes `bytes` to `path` atomically, replacing any existing file.
    ///
    /// The data is written to a uniquely named temporary file in the destination's directory, flushed to disk, and then
    /// renamed over `path`. If any step fails the temporary file is removed and an existing file at `path` is left
    /// untouched.
    ///
    /// - Throws: ``FormatError/ioError(path:reason:)`` naming `path` if the directory does not exist or is not
    ///   writable, the disk is full, or the destination cannot be replaced (e.g. it is a directory).
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(FormatError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporaryPath = directory + "/." + url.lastPathComponent + ".tmp-" + UUID().uuidString
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            throw .ioError(path: path, reason: "cannot create temporary file in \(directory): \(errorMessage())")
        }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var written = 0
            while written < buffer.count {
                let result = write(descriptor, base + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = "write failed: \(errorMessage())"
                    return
                }
                written += result
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = "fsync failed: \(errorMessage())" }
        if close(descriptor) != 0, failure == nil { failure = "close failed: \(errorMessage())" }
        if failure == nil, rename(temporaryPath, path) != 0 { failure = "cannot replace file: \(errorMessage())" }
        if let failure {
            unlink(temporaryPath)
            throw .ioError(path: path, reason: failure)
        }
    }
}

/// The C library's message for the current `errno`.
private func errorMessage() -> String {
    String(cString: strerror(errno))
}
