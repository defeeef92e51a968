import Foundation
import MixupKit
import Testing

@Suite struct SigmoidRampUpTests {
    @Test func startsAtExpMinusFiveReachesMaximumAndStays() {
        let ramp = SigmoidRampUp(maximum: 30, length: 100)
        #expect(abs(ramp.weight(atStep: 0) - 30 * exp(-5)) < 1e-9)
        #expect(abs(ramp.weight(atStep: 50) - 30 * exp(-5 * 0.25)) < 1e-9)
        #expect(ramp.weight(atStep: 100) == 30)
        #expect(ramp.weight(atStep: 5000) == 30)
    }

    @Test func isMonotoneNonDecreasing() {
        let ramp = SigmoidRampUp(maximum: 1, length: 37)
        let values = (0...60).map { ramp.weight(atStep: $0) }
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func zeroLengthIsTheMaximumImmediately() {
        #expect(SigmoidRampUp(maximum: 5, length: 0).weight(atStep: 0) == 5)
    }

    @Test func fractionOfRunScalesWithTheRunLength() {
        let ramp = SigmoidRampUp(maximum: 2, fractionOfRun: 0.5)
        #expect(ramp.length(totalSteps: 1000) == 500)
        #expect(ramp.weight(atStep: 500, totalSteps: 1000) == 2)
        #expect(abs(ramp.weight(atStep: 250, totalSteps: 1000) - 2 * exp(-5 * 0.25)) < 1e-9)
        #expect(ramp.weight(atStep: 250, totalSteps: 500) == 2)
    }
}
