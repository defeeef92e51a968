import Testing

@testable import MixupReport

@Suite struct AxisScaleTests {
    @Test(arguments: [[0.013, 0.41], [-3.2, 17], [1, 1], [0.5], [2e-7, 3e-7], [120, 4000], [-5, -1]])
    func rangeCoversTheValuesAndEndsOnTicks(values: [Double]) {
        let axis = AxisScale(covering: values)
        #expect(axis.lower <= values.min()! && values.max()! <= axis.upper)
        #expect(axis.upper > axis.lower)
        #expect(
            abs(axis.ticks.first! - axis.lower) < 1e-12
                && abs(axis.ticks.last! - axis.upper) < 1e-9 * axis.upper.magnitude + 1e-12)
        #expect(axis.ticks.count >= 2 && axis.ticks.count <= 12)
    }

    @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(AxisScale.niceStep(0.13) == 0.2)
        #expect(AxisScale.niceStep(3) == 5)
        #expect(AxisScale.niceStep(7) == 10)
        #expect(AxisScale.niceStep(1) == 1)
        #expect(AxisScale.niceStep(0.04) == 0.05)
    }

    @Test func includingZeroStartsAtZeroForPositiveData() {
        let axis = AxisScale(covering: [0.2, 0.3], includingZero: true)
        #expect(axis.lower == 0 && axis.upper >= 0.3)
        #expect(axis.ticks.count == 4)
        #expect(axis.label(axis.ticks[0]) == "0.0" && axis.label(axis.ticks[1]) == "0.1")
    }
}
