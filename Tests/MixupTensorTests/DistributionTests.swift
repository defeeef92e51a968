import Foundation
import MixupTensor
import Testing

/// Sample moments with standard errors for the mean and for the (biased) variance.
private struct Moments {
    let mean, variance, meanError, varianceError: Double

    init(_ samples: [Double]) {
        let n = Double(samples.count)
        mean = samples.reduce(0, +) / n
        let m = mean
        variance = samples.map { ($0 - m) * ($0 - m) }.reduce(0, +) / n
        let fourth =
            samples.map {
                let d = $0 - m; return d * d * d * d
            }.reduce(0, +) / n
        meanError = (variance / n).squareRoot()
        varianceError = (max(fourth - variance * variance, 0) / n).squareRoot()
    }

    /// Both moments within `k` standard errors of the expected values.
    func expectMatches(
        mean expectedMean: Double, variance expectedVariance: Double, k: Double = 5,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            abs(mean - expectedMean) <= k * meanError,
            "mean \(mean) vs \(expectedMean) (standard error \(meanError))", sourceLocation: sourceLocation)
        #expect(
            abs(variance - expectedVariance) <= k * varianceError,
            "variance \(variance) vs \(expectedVariance) (standard error \(varianceError))",
            sourceLocation: sourceLocation)
    }
}

struct BetaCase: Sendable, CustomTestStringConvertible {
    let alpha, beta: Double
    var testDescription: String { "Beta(\(alpha), \(beta))" }
}

@Suite struct DistributionTests {
    static let draws = 20_000

    @Test(arguments: [
        BetaCase(alpha: 0.2, beta: 0.2), BetaCase(alpha: 1, beta: 1), BetaCase(alpha: 2, beta: 2),
        BetaCase(alpha: 2, beta: 5),
    ])
    func betaMoments(_ c: BetaCase) {
        var g = SeededGenerator(seed: 2024)
        let samples = (0..<Self.draws).map { _ in g.nextBeta(c.alpha, c.beta) }
        #expect(samples.allSatisfy { $0 >= 0 && $0 <= 1 })
        let total = c.alpha + c.beta
        Moments(samples).expectMatches(
            mean: c.alpha / total, variance: c.alpha * c.beta / (total * total * (total + 1)))
    }

    @Test func betaWithSmallAlphaIsUShaped() {
        var g = SeededGenerator(seed: 7)
        let samples = (0..<Self.draws).map { _ in g.nextBeta(0.2, 0.2) }
        let low = Double(samples.filter { $0 < 0.05 }.count) / Double(Self.draws)
        let high = Double(samples.filter { $0 > 0.95 }.count) / Double(Self.draws)
        let middle = Double(samples.filter { $0 > 0.4 && $0 < 0.6 }.count) / Double(Self.draws)
        // Exact: P(X < 0.05) = P(X > 0.95) ≈ 0.29 and P(0.4 < X < 0.6) ≈ 0.08.
        #expect(low > 0.25 && low < 0.33, "fraction below 0.05: \(low)")
        #expect(high > 0.25 && high < 0.33, "fraction above 0.95: \(high)")
        #expect(middle < 0.12, "fraction in (0.4, 0.6): \(middle)")
        // Symmetric: about as many draws on each side of ½.
        let below = Double(samples.filter { $0 < 0.5 }.count) / Double(Self.draws)
        #expect(abs(below - 0.5) < 0.02)
    }

    @Test func betaWithTinyParametersStaysFinite() {
        var g = SeededGenerator(seed: 8)
        for _ in 0..<2000 {
            let x = g.nextBeta(0.01, 0.01)
            #expect(x >= 0 && x <= 1 && !x.isNaN)
            let y = g.nextBeta(50, 0.05)
            #expect(y >= 0 && y <= 1 && !y.isNaN)
        }
        for _ in 0..<200 { #expect(g.nextLogGamma(shape: 0.01).isFinite) }
    }

    @Test(arguments: [0.5, 1.0, 3.0])
    func gammaMoments(shape: Double) {
        var g = SeededGenerator(seed: 99)
        let samples = (0..<Self.draws).map { _ in g.nextGamma(shape: shape) }
        #expect(samples.allSatisfy { $0 >= 0 && $0.isFinite })
        Moments(samples).expectMatches(mean: shape, variance: shape)
    }

    @Test func logGammaMatchesGamma() {
        var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5)
        for _ in 0..<100 {
            let logDraw = a.nextLogGamma(shape: 0.7)
            let draw = b.nextGamma(shape: 0.7)
            #expect(abs(Foundation.exp(logDraw) - draw) <= 1e-12 * max(draw, 1))
        }
    }

    @Test func normalMoments() {
        var g = SeededGenerator(seed: 31)
        let samples = (0..<Self.draws).map { _ in g.nextNormal() }
        #expect(samples.allSatisfy { $0.isFinite })
        Moments(samples).expectMatches(mean: 0, variance: 1)
        // Tails: about 4.55% beyond two standard deviations.
        let tail = Double(samples.filter { abs($0) > 2 }.count) / Double(Self.draws)
        #expect(abs(tail - 0.0455) < 0.008)
    }
}
