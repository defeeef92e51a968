/// The order in which an epoch visits a dataset, as lists of sample indices.
public struct BatchSchedule: Sendable, Equatable {
    /// The index batches of the epoch, in order.
    public let batches: [[Int]]

    /// Splits `0..<count` into batches of `batchSize`, shuffled by `generator` when `shuffle` is true.
    ///
    /// - Parameters:
    ///   - dropLast: drop the short last batch instead of keeping it.
    /// - Precondition: `batchSize > 0`.
    public init(
        count: Int, batchSize: Int, shuffle: Bool, dropLast: Bool = false,
        using generator: inout some RandomNumberGenerator
    ) {
        precondition(batchSize > 0, "BatchSchedule: batchSize must be positive, got \(batchSize)")
        var order = Array(0..<count)
        if shuffle { generator.shuffle(&order) }
        var batches: [[Int]] = []
        var start = 0
        while start < count {
            let end = min(start + batchSize, count)
            if end - start == batchSize || !dropLast { batches.append(Array(order[start..<end])) }
            start = end
        }
        self.batches = batches
    }
}
