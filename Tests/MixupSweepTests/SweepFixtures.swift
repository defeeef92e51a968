import Foundation

@testable import MixupSweep

/// A temporary folder with a stand-in for `mixup run`: a shell script that writes `metrics.jsonl` and a JSON summary
/// like the real runner, logs every invocation to `<sweep>/invocations.log`, and fails for `--strategy boom`.
/// Test errors per (strategy, seed): erm 0.30 + 0.01·seed, mixup 0.20 + 0.02·seed, others 0.10 + 0.01·seed.
struct SweepFixture {
    let root: String
    let executable: String

    init() throws {
        root = (NSTemporaryDirectory() as NSString).appendingPathComponent("sweep-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        executable = (root as NSString).appendingPathComponent("fake-mixup")
        let script = #"""
            #!/bin/sh
            recipe=$2; shift 2
            out=; seed=0; strategy=none; alpha=1; resume=0
            while [ $# -gt 0 ]; do
              case "$1" in
                --out) out=$2; shift;;
                --seed) seed=$2; shift;;
                --strategy) strategy=$2; shift;;
                --alpha) alpha=$2; shift;;
                --resume) resume=1;;
                --threads) shift;;
              esac
              shift
            done
            echo "$strategy $alpha $seed resume=$resume" >> "$(dirname "$(dirname "$out")")/invocations.log"
            if [ "$strategy" = boom ]; then echo "progress line" >&2; echo "error: strategy boom exploded (seed $seed)" >&2; exit 1; fi
            mkdir -p "$out"
            case $strategy in erm) base=30; step=1;; mixup) base=20; step=2;; *) base=10; step=1;; esac
            e2=$((base + step * seed)); e1=$((e2 + 5))
            echo "{\"epoch\":1,\"test_error\":0.$e1,\"train_loss\":1.5,\"learning_rate\":0.1}" >> "$out/metrics.jsonl"
            echo "{\"epoch\":2,\"test_error\":0.$e2,\"train_loss\":1.0,\"learning_rate\":0.0}" >> "$out/metrics.jsonl"
            echo "| table | line |"
            echo "{\"recipe\":\"$recipe\",\"seed\":$seed,\"strategy\":\"$strategy\",\"test_error\":0.$e2,\"test_nll\":0.5,\"epochs\":2}"
            """#
        try script.write(toFile: executable, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: executable)
    }

    func path(_ name: String) -> String { (root as NSString).appendingPathComponent(name) }

    /// The lines of `<sweep>/invocations.log`.
    func invocations(_ sweep: String) -> [String] {
        let text = (try? String(contentsOfFile: path(sweep + "/invocations.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    func runner(jobs: Int = 2, reporter: any SweepReporter = SilentSweepReporter()) -> SweepRunner {
        SweepRunner(jobs: jobs, executable: executable, reporter: reporter)
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

/// Collects events for assertions.
final class RecordingSweepReporter: SweepReporter, @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [SweepEvent] = []
    var events: [SweepEvent] { lock.withLock { storage } }
    func report(_ event: SweepEvent) { lock.withLock { storage.append(event) } }
}
