import Foundation

/// One line of a run's `metrics.jsonl`: the measurements of one epoch.
public struct EpochMetrics: Sendable, Equatable {
    /// The epoch, counting from 1.
    public var epoch: Int
    /// Every numeric field of the line by its key (`train_loss`, `train_accuracy`, `test_error`, `test_nll`, …).
    public var values: [String: Double]

    /// Creates the metrics of one epoch.
    public init(epoch: Int, values: [String: Double]) {
        self.epoch = epoch
        self.values = values
    }

    /// The value of `key`, if the line has it.
    public subscript(key: String) -> Double? { values[key] }

    /// Reads `metrics.jsonl` at `path`: one JSON object per non-empty line, each with an integer `epoch`.
    ///
    /// - Throws: ``ReportError/corruptFile(path:line:reason:)`` naming the line that is not a JSON object with an
    ///   epoch.
    public static func read(path: String) throws(ReportError) -> [EpochMetrics] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .corruptFile(path: path, line: 0, reason: "cannot be read")
        }
        var metrics: [EpochMetrics] = []
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            guard case .object(let members) = try JSONNode.parse(Data(line.utf8), path: path, line: index + 1) else {
                throw .corruptFile(path: path, line: index + 1, reason: "expected a JSON object")
            }
            guard let epoch = members["epoch"]?.number, epoch == epoch.rounded(), epoch >= 0, epoch < 1e9 else {
                throw .corruptFile(
                    path: path, line: index + 1,
                    reason: "expected an integer \"epoch\", got \(members["epoch"]?.displayText ?? "none")")
            }
            metrics.append(
                EpochMetrics(epoch: Int(epoch), values: members.compactMapValues { $0.number.flatMap(Self.finite) }))
        }
        return metrics
    }

    private static func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }
}
