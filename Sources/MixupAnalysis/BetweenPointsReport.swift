import MixupData
import MixupNN
import MixupTensor

/// How a model behaves between training points (Zhang et al. 2018, Fig. 1b): at x = λxᵢ + (1 − λ)xⱼ for random
/// pairs of training samples of different classes, the fraction of predictions that are neither yᵢ nor yⱼ ("miss"),
/// and the mean L2 norm of the gradient of the cross-entropy against the mixed target λyᵢ + (1 − λ)yⱼ with respect
/// to x. Mixup is predicted to make both smaller.
public struct BetweenPointsReport: Codable, Sendable, Equatable {
    /// The measurements at one λ.
    public struct Point: Codable, Sendable, Equatable {
        /// The weight of xᵢ.
        public let lambda: Double
        /// Fraction of predictions outside {yᵢ, yⱼ}.
        public let missRate: Double
        /// Mean ‖∇ₓ loss‖₂.
        public let gradientNorm: Double
    }

    /// The number of pairs.
    public let pairCount: Int
    /// One point per λ, in order.
    public let points: [Point]

    /// Draws `pairCount` pairs from `dataset` and measures at each λ in `lambdas`.
    ///
    /// - Throws: ``AnalysisError`` for an unlabelled dataset, one with a single class, `pairCount` < 1, or λ outside
    ///   [0, 1].
    public static func measure(
        model: any Layer, on dataset: Dataset, lambdas: [Double] = (0...10).map { Double($0) / 10 },
        pairCount: Int = 500, using generator: inout some RandomNumberGenerator
    ) throws(AnalysisError) -> BetweenPointsReport {
        guard let labels = dataset.labels, Set(labels).count >= 2 else {
            throw .invalidData("\(dataset.name): needs labelled samples of at least two classes")
        }
        guard pairCount >= 1 else {
            throw .invalidSetting(name: "pairCount", value: "\(pairCount)", expected: "at least 1")
        }
        if let bad = lambdas.first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw .invalidSetting(name: "lambda", value: "\(bad)", expected: "a number in [0, 1]")
        }
        var first: [Int] = [], second: [Int] = []
        while first.count < pairCount {
            let i = Int.random(in: 0..<dataset.count, using: &generator)
            let j = Int.random(in: 0..<dataset.count, using: &generator)
            if labels[i] != labels[j] {
                first.append(i)
                second.append(j)
            }
        }
        let a = dataset.inputs(at: first), b = dataset.inputs(at: second)
        let labelsA = first.map { labels[$0] }, labelsB = second.map { labels[$0] }
        let oneHotA = Tensor.oneHot(labelsA, classCount: dataset.classCount)
        let oneHotB = Tensor.oneHot(labelsB, classCount: dataset.classCount)
        let sampleSize = dataset.sampleSize
        var points: [Point] = []
        for lambda in lambdas {
            let weight = Float(lambda)
            let mixed = withoutGradients { a * Tensor(weight) + b * Tensor(1 - weight) }
            let targets = withoutGradients { oneHotA * Tensor(weight) + oneHotB * Tensor(1 - weight) }
            let predictions = model.inferring(mixed).argmax(alongAxis: 1)
            let misses = (0..<pairCount).filter { predictions[$0] != labelsA[$0] && predictions[$0] != labelsB[$0] }
            let gradient = inputGradient(of: model, at: mixed, softTargets: targets).gradient
            var norms = 0.0
            for row in 0..<pairCount {
                var squares = 0.0
                for index in (row * sampleSize)..<((row + 1) * sampleSize) {
                    squares += Double(gradient.scalars[index]) * Double(gradient.scalars[index])
                }
                norms += squares.squareRoot()
            }
            points.append(
                Point(
                    lambda: lambda, missRate: Double(misses.count) / Double(pairCount),
                    gradientNorm: norms / Double(pairCount)))
        }
        return BetweenPointsReport(pairCount: pairCount, points: points)
    }
}
