import Foundation
import MixupKit

/// A plain-text table of run results, one row per strategy, for the terminal and for notes.
public struct ResultTable {
    /// The rows: strategy name and its result.
    public var rows: [(strategy: String, result: TrainingResult)]

    /// Creates a table.
    public init(rows: [(strategy: String, result: TrainingResult)]) { self.rows = rows }

    /// The table as aligned text.
    public func render() -> String {
        let regression = rows.contains { $0.result.regressionTest != nil }
        let header =
            regression
            ? ["strategy", "train MSE (mixed)", "test MSE", "test RMSE", "seconds"]
            : ["strategy", "train acc (mixed)", "test error", "test NLL", "seconds"]
        var lines = [header]
        for (strategy, result) in rows where regression {
            let train = result.reports.last.map { String(format: "%.5g", $0.trainLoss) } ?? "-"
            let mse = result.regressionTest.map { String(format: "%.5g", $0.meanSquaredError) } ?? "-"
            let rmse = result.regressionTest.map { String(format: "%.5g", $0.rootMeanSquaredError) } ?? "-"
            lines.append([strategy, train, mse, rmse, String(format: "%.1f", result.seconds)])
        }
        for (strategy, result) in rows where !regression {
            let train = result.reports.last.map { String(format: "%.2f%%", 100 * $0.trainAccuracy) } ?? "-"
            let error = result.test.map { String(format: "%.2f%%", 100 * $0.error) } ?? "-"
            let nll = result.test.map { String(format: "%.4f", $0.negativeLogLikelihood) } ?? "-"
            lines.append([strategy, train, error, nll, String(format: "%.1f", result.seconds)])
        }
        let widths = header.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        func format(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == 0
                    ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([format(lines[0]), rule] + lines.dropFirst().map(format)).joined(separator: "\n")
    }
}
