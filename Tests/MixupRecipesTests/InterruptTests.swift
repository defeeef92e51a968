import Foundation
import MixupRecipes
import Testing

/// Real signals to a real `mixup` process: SIGINT and SIGTERM during the *second* model of the spirals comparison
/// stop it with a checkpoint (exit 130 / 143), and `--resume` then ends exactly where an uninterrupted run ends.
@Suite(.serialized) struct InterruptTests {
    /// The `mixup` executable built next to this test bundle, if it was built.
    static let executable: String? = {
        #if os(Linux)
            let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
            let folder = (runner as NSString).deletingLastPathComponent
        #else
            let folder = (Bundle.main.bundlePath as NSString).deletingLastPathComponent
        #endif
        let candidates = [folder, (Bundle.main.bundlePath as NSString).deletingLastPathComponent].map {
            ($0 as NSString).appendingPathComponent("mixup")
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Small enough for seconds in a debug build, long enough that the second model is still training when the
    /// signal arrives: 60 points in batches of 20 (3 steps per epoch), 8 epochs per model.
    static func arguments(out: String, resume: Bool = false) -> [String] {
        ["run", "spirals", "--out", out, "--epochs", "8", "--limit", "60", "--batch-size", "20", "--threads", "1"]
            + (resume ? ["--resume"] : [])
    }

    /// A finished `mixup` process: its exit status and both output streams.
    struct Finished {
        var status: Int32
        var exited: Bool
        var output: String
        var errors: String

        /// The JSON summary (the last line of standard output).
        func summary() throws -> [String: Any] {
            let line = try #require(output.split(separator: "\n").last { $0.hasPrefix("{") })
            return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    /// Runs `mixup` with `arguments`; when `signal` is given, sends it once standard error shows that the second
    /// model (`manifold-mixup`) finished its first epoch.
    static func run(_ executable: String, _ arguments: [String], signal: Int32? = nil) throws -> Finished {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let outPipe = Pipe(), errorPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errorPipe
        let collected = Collected()
        outPipe.fileHandleForReading.readabilityHandler = { collected.append($0.availableData, error: false) }
        errorPipe.fileHandleForReading.readabilityHandler = { handle in
            collected.append(handle.availableData, error: true)
            if let signal, collected.errors.contains("manifold-mixup epoch 1/"), collected.markSignalled() {
                kill(process.processIdentifier, signal)
            }
        }
        try process.run()
        process.waitUntilExit()
        outPipe.fileHandleForReading.readabilityHandler = nil
        errorPipe.fileHandleForReading.readabilityHandler = nil
        collected.append(outPipe.fileHandleForReading.readDataToEndOfFile(), error: false)
        collected.append(errorPipe.fileHandleForReading.readDataToEndOfFile(), error: true)
        return Finished(
            status: process.terminationStatus, exited: process.terminationReason == .exit, output: collected.output,
            errors: collected.errors)
    }

    /// Output gathered from the pipes' handler threads.
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var outputData = Data(), errorData = Data(), signalled = false
        func append(_ data: Data, error: Bool) {
            lock.withLock {
                if error { errorData.append(data) } else { outputData.append(data) }
            }
        }
        var output: String { lock.withLock { String(decoding: outputData, as: UTF8.self) } }
        var errors: String { lock.withLock { String(decoding: errorData, as: UTF8.self) } }
        /// True the first time only.
        func markSignalled() -> Bool {
            lock.withLock {
                defer { signalled = true }
                return !signalled
            }
        }
    }

    /// The model tensors of a checkpoint.
    static func weights(in folder: String) throws -> [String: [Float]] {
        let checkpoint = try Checkpoint(
            contentsOf: (folder as NSString).appendingPathComponent("checkpoint.safetensors"))
        return checkpoint.tensors.filter { $0.key.hasPrefix("model.") }.mapValues(\.scalars)
    }

    @Test(.enabled(if: executable != nil, "the mixup executable is not built next to the test bundle"))
    func signalDuringTheSecondModelCheckpointsAndResumeMatchesTheUninterruptedRun() throws {
        let executable = try #require(Self.executable)
        let root = BuiltinRecipesTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let reference = (root as NSString).appendingPathComponent("reference")
        let uninterrupted = try Self.run(executable, Self.arguments(out: reference))
        #expect(uninterrupted.exited && uninterrupted.status == 0, "\(uninterrupted.errors)")
        let expected = try uninterrupted.summary()
        let expectedResults = try #require(expected["results"] as? [[String: Any]])
        #expect(expectedResults.count == 2 && expected["test_error"] == nil, "a comparison has no top-level error")

        for (signal, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let out = (root as NSString).appendingPathComponent("signal\(signal)")
            let stopped = try Self.run(executable, Self.arguments(out: out), signal: signal)
            #expect(stopped.exited && stopped.status == status, "signal \(signal): \(stopped.errors)")
            #expect(stopped.errors.contains("checkpoint saved to"), "\(stopped.errors)")
            let second = (out as NSString).appendingPathComponent("manifold-mixup")
            let checkpoint = try Checkpoint(
                contentsOf: (second as NSString).appendingPathComponent("checkpoint.safetensors"))
            #expect(checkpoint.globalStep >= 3 && checkpoint.globalStep < 24, "stopped inside the second model")
            #expect(checkpoint.metadata["strategy"] == "manifold-mixup" && checkpoint.metadata["recipe"] == "spirals")
            // SIGTERM shows the same checkpoint-and-stop path; resuming is checked once, after SIGINT.
            guard signal == SIGINT else { continue }

            let resumed = try Self.run(executable, Self.arguments(out: out, resume: true))
            #expect(resumed.exited && resumed.status == 0, "\(resumed.errors)")
            let results = try #require(try resumed.summary()["results"] as? [[String: Any]])
            for (got, want) in zip(results, expectedResults) {
                for key in ["strategy", "test_error", "test_nll", "steps"] {
                    #expect("\(got[key] ?? "-")" == "\(want[key] ?? "-")", "\(key) after \(signal)")
                }
            }
            for name in ["erm", "manifold-mixup"] {
                #expect(
                    try Self.weights(in: (out as NSString).appendingPathComponent(name))
                        == Self.weights(in: (reference as NSString).appendingPathComponent(name)),
                    "\(name) weights after resuming from signal \(signal)")
            }
            let metrics = try String(
                contentsOfFile: (second as NSString).appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            #expect(metrics.split(separator: "\n").count == 8, "one line per epoch across the interrupt")
        }
    }
}
