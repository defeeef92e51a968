import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Redirection of the process's standard output, for tests that check what a command prints.
///
/// Standard output is one file descriptor for the whole test process, and Swift Testing runs suites of every test
/// module at once. Two captures that overlap would restore each other's descriptor in the wrong order and lose
/// output, so every capture in the process goes through this one lock. Tests that print without capturing can still
/// land in a capture: callers look for what they expect (a line naming their own output folder), never for exact text.
public enum StandardOutputCapture {
    private static let lock = NSLock()

    /// Runs `body` with standard output redirected to a temporary file and returns its result and what was written.
    public static func capturing<T>(_ body: () throws -> T) rethrows -> (result: T, output: String) {
        lock.lock()
        defer { lock.unlock() }
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("mixupkit-stdout-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        fflush(nil)
        let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let saved = dup(STDOUT_FILENO)
        dup2(file, STDOUT_FILENO)
        close(file)
        defer {
            fflush(nil)
            dup2(saved, STDOUT_FILENO)
            close(saved)
        }
        let result = try body()
        fflush(nil)
        return (result, (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
    }
}
