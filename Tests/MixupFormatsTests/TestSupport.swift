import Foundation
import MixupFormats
import Testing

/// Runs `body` and returns the `FormatError` it throws, or `nil` if it succeeds (any other error is recorded as an
/// issue).
func formatError<R>(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> R) -> FormatError? {
    do {
        _ = try body()
        return nil
    } catch let error as FormatError {
        return error
    } catch {
        Issue.record("expected a FormatError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

extension FormatError {
    /// The name of the enum case, e.g. `"checksumMismatch"`, for concise assertions.
    var caseName: String {
        Mirror(reflecting: self).children.first?.label ?? String(describing: self)
    }
}

/// A fresh, uniquely named directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("MixupFormatsTests-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// The names of the entries in the directory.
    func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Where the shared MNIST files live: `../shared/data/mnist` relative to the package root, found by walking up from
/// this source file (through symlinks too), or `nil` if that folder does not exist.
let mnistDirectory: String? = {
    let here = URL(fileURLWithPath: #filePath)
    for start in [here, here.resolvingSymlinksInPath()] {
        var directory = start.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("../shared/data/mnist").standardizedFileURL.path
            if FileManager.default.fileExists(atPath: candidate + "/t10k-labels-idx1-ubyte.gz") { return candidate }
            directory = directory.deletingLastPathComponent()
        }
    }
    return nil
}()
