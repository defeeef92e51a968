import Foundation
import MixupTensor
import Testing

@testable import MixupSweep

@Suite struct SweepStatisticsTests {
    @Test func meanSampleStdAndTInterval() throws {
        let summary = SweepStatistics.summarize([1, 2, 3, 4])
        #expect(summary.count == 4)
        #expect(summary.mean == 2.5)
        // s² = (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3.
        let deviation = try #require(summary.standardDeviation)
        #expect(abs(deviation - (5.0 / 3).squareRoot()) < 1e-12)
        // t₀.₉₇₅,₃ = 3.182446305 (tables); half-width = t · s / √4.
        let interval = try #require(summary.interval)
        let half = 3.182446305284263 * (5.0 / 3).squareRoot() / 2
        #expect(abs(interval.lowerBound - (2.5 - half)) < 1e-8)
        #expect(abs(interval.upperBound - (2.5 + half)) < 1e-8)
        let single = SweepStatistics.summarize([0.25])
        #expect(single.mean == 0.25 && single.standardDeviation == nil && single.interval == nil)
    }

    @Test func incompleteBetaAndTDistributionMatchClosedForms() {
        // I_x(2, 3) = Σ_{j=2}^{4} C(4, j) x^j (1 − x)^{4−j}; at x = ½ that is 11/16.
        #expect(abs(SweepStatistics.regularizedIncompleteBeta(0.5, a: 2, b: 3) - 11.0 / 16) < 1e-12)
        #expect(abs(SweepStatistics.regularizedIncompleteBeta(0.9, a: 2, b: 3) - (1 - 0.0037)) < 1e-12)
        // ν = 1 is the Cauchy distribution: F(t) = ½ + atan(t)/π.
        for t in [-3.0, -0.5, 0, 1, 4] {
            #expect(abs(SweepStatistics.studentTDistribution(t, degreesOfFreedom: 1) - (0.5 + atan(t) / .pi)) < 1e-12)
        }
        // ν = 2: F(t) = ½ + t / (2 √(2 + t²)).
        for t in [-2.0, 0.3, 5] {
            #expect(
                abs(
                    SweepStatistics.studentTDistribution(t, degreesOfFreedom: 2)
                        - (0.5 + t / (2 * (2 + t * t).squareRoot())))
                    < 1e-12)
        }
        #expect(abs(SweepStatistics.studentTQuantile(0.975, degreesOfFreedom: 3) - 3.182446305284263) < 1e-9)
        #expect(abs(SweepStatistics.studentTQuantile(0.975, degreesOfFreedom: 10) - 2.228138851986274) < 1e-9)
        #expect(abs(SweepStatistics.studentTQuantile(0.025, degreesOfFreedom: 10) + 2.228138851986274) < 1e-9)
    }

    @Test func pairedTTestEqualsHandComputedValue() throws {
        var generator = SeededGenerator(seed: 1)
        // Differences 1, 2, 2: mean 5/3, s = √(1/3), t = (5/3) / (s / √3) = 5, ν = 2, p = 1 − 5/√27.
        let comparison = SweepStatistics.compare([2, 4, 5], with: [1, 2, 3], using: &generator)
        #expect(comparison.count == 3)
        #expect(abs(comparison.meanDifference - 5.0 / 3) < 1e-12)
        let p = try #require(comparison.pValue)
        #expect(abs(p - (1 - 5 / 27.0.squareRoot())) < 1e-10)
        let interval = try #require(comparison.bootstrapInterval)
        #expect(interval.lowerBound >= 1 && interval.upperBound <= 2)
        #expect(interval.contains(5.0 / 3))
    }

    @Test func bootstrapIsSeededAndDegenerateCasesAreDefined() {
        var first = SeededGenerator(seed: 9), second = SeededGenerator(seed: 9)
        let a = SweepStatistics.compare([0.1, 0.3, 0.2, 0.5], with: [0.2, 0.2, 0.2, 0.2], using: &first)
        let b = SweepStatistics.compare([0.1, 0.3, 0.2, 0.5], with: [0.2, 0.2, 0.2, 0.2], using: &second)
        #expect(a == b)
        var generator = SeededGenerator(seed: 0)
        let same = SweepStatistics.compare([1, 2], with: [1, 2], using: &generator)
        #expect(same.pValue == 1 && same.bootstrapInterval == 0...0)
        let shifted = SweepStatistics.compare([2, 3], with: [1, 2], using: &generator)
        #expect(shifted.pValue == 0 && shifted.bootstrapInterval == 1...1)
        let one = SweepStatistics.compare([2], with: [1], using: &generator)
        #expect(one.meanDifference == 1 && one.pValue == nil && one.bootstrapInterval == nil)
    }
}
