import Foundation
import MixupKit
import Testing

@testable import MixupTraining

@Suite struct ConsoleTrainingReporterTests {
    static func progress(step: Int, steps: Int, globalStep: Int, totalSteps: Int, secondsLeft: Double) -> StepProgress {
        StepProgress(
            label: "erm", epoch: 2, epochs: 3, step: step, steps: steps, globalStep: globalStep,
            totalSteps: totalSteps, loss: 0.5, accuracy: 0.8, samplesPerSecond: 1000, secondsLeft: secondsLeft)
    }

    @Test func epochTimeLeftIsTheRunEstimateScaledByTheEpochsShareOfRemainingSteps() {
        // Epoch 2 of 3, 10 steps each: step 4 of the epoch is global step 14; 16 steps and 32 s left in the run.
        let middle = Self.progress(step: 4, steps: 10, globalStep: 14, totalSteps: 30, secondsLeft: 32)
        #expect(ConsoleTrainingReporter.epochSecondsLeft(middle) == 12)  // 6 of the 16 remaining steps
        let end = Self.progress(step: 10, steps: 10, globalStep: 20, totalSteps: 30, secondsLeft: 20)
        #expect(ConsoleTrainingReporter.epochSecondsLeft(end) == 0)
        // --steps stops the run inside the epoch: the epoch ends with the run.
        let capped = Self.progress(step: 4, steps: 10, globalStep: 14, totalSteps: 16, secondsLeft: 4)
        #expect(ConsoleTrainingReporter.epochSecondsLeft(capped) == 4)
        let done = Self.progress(step: 4, steps: 10, globalStep: 16, totalSteps: 16, secondsLeft: 0)
        #expect(ConsoleTrainingReporter.epochSecondsLeft(done).isNaN)
        #expect(ConsoleTrainingReporter.clock(.nan) == "--:--" && ConsoleTrainingReporter.clock(75) == "1:15")
    }
}
