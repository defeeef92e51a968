/// How each sample of a batch is assigned a partner to be mixed with. Works for any batch size, including 1 (the
/// sample is its own partner, so mixing leaves it unchanged) and odd sizes.
public enum Pairing: Sendable, Equatable {
    /// A uniformly random permutation (the usual Mixup pairing); a sample may be its own partner.
    case permutation
    /// A random permutation with no sample paired with itself (a random cyclic order), for batches of 2 or more.
    case derangement
    /// Random disjoint pairs (i ↔ j, each the other's partner); with an odd batch the leftover sample is its own partner.
    case randomPairs
    /// The batch against itself reversed (i ↔ batch − 1 − i), as timm's pair/elem modes; the middle sample of an odd
    /// batch is its own partner (timm requires an even batch instead).
    case reversed

    /// Whether partner(partner(i)) == i always holds, so per-pair weights are well defined.
    public var isSymmetric: Bool { self == .randomPairs || self == .reversed }

    /// Draws the partner of every sample.
    public func partners(batchSize: Int, using generator: inout some RandomNumberGenerator) -> [Int] {
        precondition(batchSize >= 0, "Pairing: negative batch size \(batchSize)")
        switch self {
        case .permutation:
            return generator.nextPermutation(batchSize)
        case .derangement:
            guard batchSize >= 2 else { return Array(0..<batchSize) }
            let order = generator.nextPermutation(batchSize)
            var partners = [Int](repeating: 0, count: batchSize)
            for i in 0..<batchSize { partners[order[i]] = order[(i + 1) % batchSize] }
            return partners
        case .randomPairs:
            let order = generator.nextPermutation(batchSize)
            var partners = Array(0..<batchSize)
            var i = 0
            while i + 1 < batchSize {
                partners[order[i]] = order[i + 1]
                partners[order[i + 1]] = order[i]
                i += 2
            }
            return partners
        case .reversed:
            return (0..<batchSize).map { batchSize - 1 - $0 }
        }
    }
}

/// How many λ values a batch draws.
public enum LambdaGranularity: Sendable, Equatable {
    /// One λ for the whole batch (Zhang et al. 2018; timm's "batch" mode).
    case perBatch
    /// One λ per pair, shared by both members (needs a symmetric ``Pairing``; timm's "pair" mode).
    case perPair
    /// An independent λ for each sample (timm's "elem" mode).
    case perSample
}
