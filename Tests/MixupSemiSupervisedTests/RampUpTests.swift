import Foundation
import MixupKit
import Testing

@Suite struct RampUpTests {
    @Test func linearAndSigmoidShapes() {
        let linear = RampUp(maximum: 4, fractionOfRun: 0.5, shape: .linear)
        #expect(linear.weight(atStep: 0, totalSteps: 100) == 0)
        #expect(linear.weight(atStep: 25, totalSteps: 100) == 2)
        #expect(linear.weight(atStep: 50, totalSteps: 100) == 4)
        #expect(linear.weight(atStep: 90, totalSteps: 100) == 4)
        let sigmoid = RampUp(maximum: 75, fractionOfRun: 0.3)
        #expect(sigmoid.shape == .sigmoid)
        #expect(abs(sigmoid.weight(atStep: 0, totalSteps: 1000) - 75 * exp(-5)) < 1e-9)
        #expect(abs(sigmoid.weight(atStep: 150, totalSteps: 1000) - 75 * exp(-5 * 0.25)) < 1e-9)
        #expect(sigmoid.weight(atStep: 300, totalSteps: 1000) == 75)
        #expect(RampUp.constant(3).weight(atStep: 0, totalSteps: 10) == 3)
        let legacy: SigmoidRampUp = SigmoidRampUp(maximum: 1, length: 10)
        #expect(legacy.shape == .sigmoid)
    }
}
