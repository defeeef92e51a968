import Foundation
import MixupNN
import Testing

@Suite struct LearningRateScheduleTests {
    private func close(_ a: Float, _ b: Float, _ tolerance: Float = 1e-6) -> Bool { abs(a - b) <= tolerance }

    @Test func constantRate() {
        let schedule = ConstantLearningRate(0.3)
        #expect(schedule.learningRate(atStep: 0, totalSteps: 10) == 0.3)
        #expect(schedule.learningRate(atStep: 9, totalSteps: 10) == 0.3)
    }

    @Test func stepDecayMultipliesEveryStepSize() {
        let schedule = StepDecay(initial: 0.1, stepSize: 10, factor: 0.5)
        #expect(schedule.learningRate(atStep: 0, totalSteps: 100) == 0.1)
        #expect(schedule.learningRate(atStep: 9, totalSteps: 100) == 0.1)
        #expect(close(schedule.learningRate(atStep: 10, totalSteps: 100), 0.05))
        #expect(close(schedule.learningRate(atStep: 19, totalSteps: 100), 0.05))
        #expect(close(schedule.learningRate(atStep: 25, totalSteps: 100), 0.025))
        #expect(StepDecay(initial: 1, stepSize: 3).factor == 0.1)
    }

    @Test func multiStepDecayMultipliesAtEachMilestone() {
        // Milestones are sorted; the rate drops at (not after) each milestone.
        let schedule = MultiStepDecay(initial: 0.1, milestones: [150, 100], factor: 0.1)
        #expect(schedule.milestones == [100, 150])
        #expect(schedule.learningRate(atStep: 0, totalSteps: 200) == 0.1)
        #expect(schedule.learningRate(atStep: 99, totalSteps: 200) == 0.1)
        #expect(close(schedule.learningRate(atStep: 100, totalSteps: 200), 0.01))
        #expect(close(schedule.learningRate(atStep: 149, totalSteps: 200), 0.01))
        #expect(close(schedule.learningRate(atStep: 150, totalSteps: 200), 0.001))
        #expect(close(schedule.learningRate(atStep: 199, totalSteps: 200), 0.001))
    }

    @Test func cosineDecayRunsFromInitialToMinimum() {
        let schedule = CosineDecay(initial: 0.2, minimum: 0.02)
        let total = 101
        #expect(close(schedule.learningRate(atStep: 0, totalSteps: total), 0.2))
        #expect(close(schedule.learningRate(atStep: total - 1, totalSteps: total), 0.02))
        #expect(close(schedule.learningRate(atStep: 50, totalSteps: total), 0.11))
        // A quarter of the way: min + (init − min)·(1 + cos(π/4))/2.
        let quarter = 0.02 + 0.18 * Float((1 + Foundation.cos(Double.pi / 4)) / 2)
        #expect(close(schedule.learningRate(atStep: 25, totalSteps: total), quarter))
        let rates = (0..<total).map { schedule.learningRate(atStep: $0, totalSteps: total) }
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 >= $1 })
        // Past the end it stays at the minimum; a one-step run uses the initial rate.
        #expect(close(schedule.learningRate(atStep: 500, totalSteps: total), 0.02))
        #expect(schedule.learningRate(atStep: 0, totalSteps: 1) == 0.2)
        #expect(CosineDecay(initial: 1).learningRate(atStep: 9, totalSteps: 10) == 0)
    }

    @Test func linearWarmupRampsFromStartFactorThenFollowsTheBase() {
        let schedule = LinearWarmup(ConstantLearningRate(0.5), warmupSteps: 4, startFactor: 0.2)
        let rates = (0..<8).map { schedule.learningRate(atStep: $0, totalSteps: 8) }
        // Step 0 is startFactor·base; the ramp is linear and reaches the base rate at the end of the warm-up.
        #expect(close(rates[0], 0.1))
        #expect(close(rates[1], 0.2))
        #expect(close(rates[2], 0.3))
        #expect(close(rates[3], 0.4))
        for step in 4..<8 { #expect(close(rates[step], 0.5)) }
    }

    @Test func linearWarmupDefaultsToStartingAtZero() {
        let schedule = LinearWarmup(ConstantLearningRate(1), warmupSteps: 5)
        #expect(schedule.learningRate(atStep: 0, totalSteps: 10) == 0)
        #expect(close(schedule.learningRate(atStep: 1, totalSteps: 10), 0.2))
        #expect(close(schedule.learningRate(atStep: 5, totalSteps: 10), 1))
    }

    @Test func linearWarmupShiftsTheBaseSchedule() {
        let base = CosineDecay(initial: 0.4, minimum: 0.04)
        let schedule = LinearWarmup(base, warmupSteps: 10, startFactor: 0.1)
        let total = 110
        #expect(close(schedule.learningRate(atStep: 0, totalSteps: total), 0.04))
        let warm = (0...10).map { schedule.learningRate(atStep: $0, totalSteps: total) }
        #expect(zip(warm, warm.dropFirst()).allSatisfy { $0 < $1 })
        // After the warm-up the base sees steps counted from the end of the warm-up over the remaining 100 steps.
        #expect(close(schedule.learningRate(atStep: 10, totalSteps: total), 0.4))
        #expect(
            close(schedule.learningRate(atStep: 60, totalSteps: total), base.learningRate(atStep: 50, totalSteps: 100)))
        #expect(close(schedule.learningRate(atStep: total - 1, totalSteps: total), 0.04))
        // No warm-up is the base schedule itself.
        let none = LinearWarmup(base, warmupSteps: 0)
        #expect(none.learningRate(atStep: 0, totalSteps: total) == base.learningRate(atStep: 0, totalSteps: total))
        #expect(close(none.learningRate(atStep: total - 1, totalSteps: total), 0.04))
    }
}

@Suite struct ConstantThenLinearDecayTests {
    @Test func constantThenStraightLineToZero() {
        let schedule = ConstantThenLinearDecay(initial: 2e-3, decayFraction: 0.3)
        #expect(schedule.learningRate(atStep: 0, totalSteps: 100) == 2e-3)
        #expect(schedule.learningRate(atStep: 69, totalSteps: 100) == 2e-3)
        #expect(schedule.learningRate(atStep: 70, totalSteps: 100) == 2e-3)
        #expect(abs(schedule.learningRate(atStep: 85, totalSteps: 100) - 1e-3) < 1e-9)
        #expect(abs(schedule.learningRate(atStep: 99, totalSteps: 100) - 2e-3 / 30) < 1e-9)
        #expect(schedule.learningRate(atStep: 100, totalSteps: 100) == 0)
        let rates = (0..<100).map { schedule.learningRate(atStep: $0, totalSteps: 100) }
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 >= $1 }, "never increases")
        #expect(ConstantThenLinearDecay(initial: 1, decayFraction: 0).learningRate(atStep: 99, totalSteps: 100) == 1)
    }
}
