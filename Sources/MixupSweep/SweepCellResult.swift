import Foundation

/// What a finished cell left on disk: the numbers of its JSON summary (the last line of `stdout.log`) and the
/// per-epoch lines of its `metrics.jsonl`.
public struct SweepCellResult: Sendable, Equatable {
    /// Numeric fields of the summary, plus the last `metrics.jsonl` line's fields the summary lacks (e.g.
    /// `test_accuracy`, `train_loss`). A comparison run's `results` entries appear as `<strategy>.<field>`
    /// (unprefixed when there is only one).
    public var metrics: [String: Double]
    /// Per-epoch values from `metrics.jsonl`: metric name → (epoch, value) in file order.
    public var curves: [String: [(epoch: Int, value: Double)]]

    /// Summary fields that describe the run rather than measure it.
    static let settingFields: Set<String> = ["seed", "epochs", "labels", "epoch", "steps", "batch_size", "alpha"]
    /// `metrics.jsonl` fields that are not results.
    static let curveOnlyFields: Set<String> = ["epoch", "learning_rate", "elapsed_seconds"]

    public static func == (lhs: SweepCellResult, rhs: SweepCellResult) -> Bool {
        lhs.metrics == rhs.metrics
            && lhs.curves.mapValues { $0.map(\.epoch) } == rhs.curves.mapValues { $0.map(\.epoch) }
            && lhs.curves.mapValues { $0.map(\.value) } == rhs.curves.mapValues { $0.map(\.value) }
    }

    /// Reads the cell in `directory`, or `nil` when it has no JSON summary yet.
    public static func read(from directory: String) -> SweepCellResult? {
        guard let summary = summary(in: directory) else { return nil }
        var metrics: [String: Double] = [:]
        for (key, value) in summary where !settingFields.contains(key) {
            if let number = number(value) { metrics[key] = number }
        }
        if let entries = summary["results"] as? [[String: Any]] {
            for entry in entries {
                let prefix = entries.count == 1 ? "" : "\(entry["strategy"] as? String ?? "?")."
                for (key, value) in entry where !settingFields.contains(key) {
                    if let number = number(value) { metrics[prefix + key] = number }
                }
            }
        }
        var curves: [String: [(epoch: Int, value: Double)]] = [:]
        let metricsPath = (directory as NSString).appendingPathComponent("metrics.jsonl")
        if let data = FileManager.default.contents(atPath: metricsPath) {
            var last: [String: Any] = [:]
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let epoch = object["epoch"].flatMap(number)
                else { continue }
                for (key, value) in object where !curveOnlyFields.contains(key) {
                    if let number = number(value) { curves[key, default: []].append((Int(epoch), number)) }
                }
                last = object
            }
            for (key, value) in last where !curveOnlyFields.contains(key) && metrics[key] == nil {
                if let number = number(value) { metrics[key] = number }
            }
        }
        return SweepCellResult(metrics: metrics, curves: curves)
    }

    /// The JSON object on the last line of the cell's `stdout.log`, or `nil`.
    static func summary(in directory: String) -> [String: Any]? {
        let path = (directory as NSString).appendingPathComponent(CellProcess.stdoutName)
        guard let line = CellProcess.lastLine(of: path) else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    private static func number(_ value: Any) -> Double? {
        // JSONSerialization gives NSNumber for numbers and booleans (objCType "c"); keep numbers only.
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
        let double = number.doubleValue
        return double.isFinite ? double : nil
    }
}
