import Foundation

/// Whole-file byte I/O with errors that name the path.
///
/// Reading loads the entire file into memory; writing is atomic (temporary file in the same directory, then `rename`),
/// so a reader never observes a half-written file and an existing file survives a failed write.
public enum BinaryFile {
    /// Reads the whole file at `path`.
    ///
    /// Only regular files are read by default: a FIFO, a device (e.g. `/dev/zero`) or a socket may block forever or
    /// never end, so it is refused unless `limits` allows reading a bounded number of bytes from it
    /// (``ReadLimits/nonRegularFileBytes``). The file is opened without blocking, so a FIFO with no writer cannot hang
    /// the call.
    ///
    /// - Throws: ``FormatError/ioError(path:reason:)`` if the file is missing, is a directory, cannot be read, or is
    ///   not a regular file and `limits` refuses such files; ``FormatError/limitExceeded(file:what:limit:remedy:)`` if
    ///   a non-regular file yields more than the allowed bytes.
    public static func read(path: String, limits: ReadLimits = .standard) throws(FormatError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .ioError(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .ioError(path: path, reason: "is a directory, not a file") }
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw .ioError(path: path, reason: "cannot open: \(errorMessage())") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw .ioError(path: path, reason: "cannot stat: \(errorMessage())")
        }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG else {
            let described = fileKindDescription(kind)
            guard let bound = limits.nonRegularFileBytes else {
                throw .ioError(
                    path: path,
                    reason: "is \(described), not a regular file; refusing to read it (it may block or never end; "
                        + "\(ReadLimits.nonRegularOverride) to read a bounded amount)")
            }
            return try readStream(descriptor, path: path, bound: bound, described: described)
        }
        // Regular file: back to blocking reads.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
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
        // Some special files (e.g. under /proc) report size 0 but have content; read the rest, if any, within the
        // decompression bound (a regular file that keeps growing must not grow memory without limit).
        let rest = try readStream(
            descriptor, path: path, bound: limits.maxDecompressedBytes, described: "a growing file",
            remedy: ReadLimits.decompressedOverride)
        return bytes + rest
    }

    /// Reads `descriptor` to its end in chunks, failing once more than `bound` bytes arrive. A descriptor in
    /// non-blocking mode that has no data yet is waited on with `poll` for up to 10 s at a time.
    private static func readStream(
        _ descriptor: Int32, path: String, bound: Int, described: String,
        remedy: String = ReadLimits.nonRegularOverride
    ) throws(FormatError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let got = chunk.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Foundation.read(descriptor, base, min(buffer.count, bound + 1 - bytes.count))
            }
            if got < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    let ready = poll(&request, 1, 10_000)
                    if ready == 0 {
                        throw .ioError(path: path, reason: "\(described): no data for 10 s; giving up")
                    }
                    continue
                }
                throw .ioError(path: path, reason: "read failed: \(errorMessage())")
            }
            if got == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<got])
            if bytes.count > bound {
                throw .limitExceeded(
                    file: path, what: "data read from \(described)", limit: bound, remedy: remedy)
            }
        }
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

/// "a FIFO", "a character device", … for a `stat` file type.
private func fileKindDescription(_ kind: mode_t) -> String {
    switch kind {
    case S_IFIFO: "a FIFO (named pipe)"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFSOCK: "a socket"
    case S_IFDIR: "a directory"
    default: "not a regular file"
    }
}
