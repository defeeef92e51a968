import Foundation

/// The statistics of a sweep's results: the spread of a configuration over seeds, and paired comparisons with the
/// baseline over the seeds both finished.
public enum SweepStatistics {
    /// Mean, sample standard deviation and a Student t confidence interval of the mean.
    public struct Summary: Sendable, Equatable {
        /// The number of values.
        public var count: Int
        /// The arithmetic mean.
        public var mean: Double
        /// The sample standard deviation (n − 1 in the denominator); `nil` for fewer than two values.
        public var standardDeviation: Double?
        /// The 95% t interval of the mean, mean ± t₀.₉₇₅,ₙ₋₁ · s / √n; `nil` for fewer than two values.
        public var interval: ClosedRange<Double>?
    }

    /// A paired comparison: the differences `values[i] − baseline[i]` over matching seeds.
    public struct PairedComparison: Sendable, Equatable {
        /// The number of pairs.
        public var count: Int
        /// The mean difference.
        public var meanDifference: Double
        /// The two-sided p-value of the paired t-test (H₀: mean difference 0); `nil` for fewer than two pairs.
        /// Identical pairs (zero spread) give 1 when the mean difference is 0 and 0 otherwise.
        public var pValue: Double?
        /// The percentile bootstrap 95% interval of the mean difference.
        public var bootstrapInterval: ClosedRange<Double>?
    }

    /// The summary of `values`.
    ///
    /// - Precondition: `values` is not empty.
    public static func summarize(_ values: [Double], confidence: Double = 0.95) -> Summary {
        precondition(!values.isEmpty, "SweepStatistics.summarize: no values")
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        guard values.count > 1 else { return Summary(count: 1, mean: mean, standardDeviation: nil, interval: nil) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let deviation = variance.squareRoot()
        let half = studentTQuantile(0.5 + confidence / 2, degreesOfFreedom: n - 1) * deviation / n.squareRoot()
        return Summary(
            count: values.count, mean: mean, standardDeviation: deviation, interval: (mean - half)...(mean + half))
    }

    /// Compares `values` with `baseline`, pair by pair (same seed), with a paired t-test and a percentile bootstrap
    /// interval of the mean difference from `resamples` resamples drawn with `generator`.
    ///
    /// - Precondition: both arrays have the same, non-zero length.
    public static func compare(
        _ values: [Double], with baseline: [Double], resamples: Int = 10_000,
        using generator: inout some RandomNumberGenerator
    ) -> PairedComparison {
        precondition(values.count == baseline.count && !values.isEmpty, "SweepStatistics.compare: unpaired values")
        let differences = zip(values, baseline).map { $0 - $1 }
        let summary = summarize(differences)
        var pValue: Double? = nil
        if let deviation = summary.standardDeviation {
            if deviation == 0 {
                pValue = summary.mean == 0 ? 1 : 0
            } else {
                let t = summary.mean / (deviation / Double(differences.count).squareRoot())
                pValue = 2 * (1 - studentTDistribution(abs(t), degreesOfFreedom: Double(differences.count - 1)))
            }
        }
        var interval: ClosedRange<Double>? = nil
        if differences.count > 1, resamples > 0 {
            var means: [Double] = []
            means.reserveCapacity(resamples)
            for _ in 0..<resamples {
                var sum = 0.0
                for _ in differences.indices {
                    sum += differences[Int(generator.next(upperBound: UInt64(differences.count)))]
                }
                means.append(sum / Double(differences.count))
            }
            means.sort()
            let low = means[Int((0.025 * Double(resamples)).rounded(.down))]
            let high = means[min(resamples - 1, Int((0.975 * Double(resamples)).rounded(.up)) - 1)]
            interval = low...high
        }
        return PairedComparison(
            count: differences.count, meanDifference: summary.mean, pValue: pValue, bootstrapInterval: interval)
    }

    /// The cumulative distribution function of Student's t with `degreesOfFreedom` ν > 0 at `t`:
    /// F(t) = 1 − ½ I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0, and 1 − F(−t) below.
    public static func studentTDistribution(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(nu > 0, "studentTDistribution: degrees of freedom must be positive, got \(nu)")
        let tail = 0.5 * regularizedIncompleteBeta(nu / (nu + t * t), a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The `p` quantile of Student's t with ν degrees of freedom, by bisection on the CDF (to 1e-12).
    public static func studentTQuantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(p > 0 && p < 1, "studentTQuantile: p must be in (0, 1), got \(p)")
        if p < 0.5 { return -studentTQuantile(1 - p, degreesOfFreedom: nu) }
        var low = 0.0, high = 1.0
        while studentTDistribution(high, degreesOfFreedom: nu) < p { high *= 2 }
        for _ in 0..<200 where high - low > 1e-12 {
            let middle = (low + high) / 2
            if studentTDistribution(middle, degreesOfFreedom: nu) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// The regularized incomplete beta function I_x(a, b) for x in [0, 1], a, b > 0: the continued fraction of
    /// I_x(a, b) evaluated with the modified Lentz method, on the side of x where it converges fast (using
    /// I_x(a, b) = 1 − I_{1−x}(b, a)).
    public static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        precondition(a > 0 && b > 0, "regularizedIncompleteBeta: a and b must be positive, got \(a), \(b)")
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedIncompleteBeta(1 - x, a: b, b: a) }
        // x^a (1−x)^b / (a B(a, b)), in logs.
        let logBeta: Double = lgamma(a) + lgamma(b) - lgamma(a + b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let logFront: Double = logPowers - logBeta - log(a)
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var fraction = d
        for m in 1...1000 {
            let m = Double(m)
            // Even step: d_{2m} = m (b − m) x / ((a + 2m − 1)(a + 2m)).
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            fraction *= d * c
            // Odd step: d_{2m+1} = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)).
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            fraction *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return exp(logFront) * fraction
    }
}
