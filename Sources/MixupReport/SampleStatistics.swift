import Foundation

/// Mean, sample standard deviation and a two-sided 95% Student-t confidence interval of a few values (seeds).
struct SampleStatistics: Equatable {
    /// The number of values.
    let count: Int
    /// The mean.
    let mean: Double
    /// The sample standard deviation (n − 1 in the denominator); 0 for one value.
    let standardDeviation: Double
    /// The half-width of the 95% confidence interval of the mean; `nil` for fewer than two values.
    let confidenceHalfWidth: Double?

    /// The statistics of `values` (finite ones); `nil` when there are none.
    init?(_ values: [Double]) {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return nil }
        let n = finite.count
        let average = finite.reduce(0, +) / Double(n)
        (count, mean) = (n, average)
        guard n > 1 else {
            (standardDeviation, confidenceHalfWidth) = (0, nil)
            return
        }
        let deviation = (finite.map { ($0 - average) * ($0 - average) }.reduce(0, +) / Double(n - 1)).squareRoot()
        standardDeviation = deviation
        confidenceHalfWidth = Self.tQuantile975(degreesOfFreedom: n - 1) * deviation / Double(n).squareRoot()
    }

    /// The 97.5% quantile of Student's t (two-sided 95%), tabulated to 30 degrees of freedom, 1.96 beyond.
    static func tQuantile975(degreesOfFreedom df: Int) -> Double {
        let table = [
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
            2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
        ]
        return df >= 1 && df <= table.count ? table[df - 1] : 1.96
    }
}
