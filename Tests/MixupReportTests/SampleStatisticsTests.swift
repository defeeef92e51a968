import Testing

@testable import MixupReport

@Suite struct SampleStatisticsTests {
    @Test func meanStandardDeviationAndStudentInterval() throws {
        let stats = try #require(SampleStatistics([2, 4, 4, 4, 5, 5, 7, 9]))
        #expect(stats.count == 8 && stats.mean == 5)
        #expect(abs(stats.standardDeviation - (32.0 / 7).squareRoot()) < 1e-12)
        let half = try #require(stats.confidenceHalfWidth)
        #expect(abs(half - 2.365 * (32.0 / 7).squareRoot() / 8.0.squareRoot()) < 1e-12)
    }

    @Test func oneValueHasNoIntervalAndNoValuesNoStatistics() throws {
        let one = try #require(SampleStatistics([0.3, .nan]))
        #expect(one.count == 1 && one.mean == 0.3 && one.standardDeviation == 0 && one.confidenceHalfWidth == nil)
        #expect(SampleStatistics([]) == nil)
        #expect(SampleStatistics.tQuantile975(degreesOfFreedom: 1) == 12.706)
        #expect(SampleStatistics.tQuantile975(degreesOfFreedom: 100) == 1.96)
    }
}
