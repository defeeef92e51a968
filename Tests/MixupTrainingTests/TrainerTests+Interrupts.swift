import Foundation
import MixupKit
import Synchronization
import Testing

/// Interrupts through ``InterruptPolicy/poll(_:)`` (the signal path itself is tested with real child processes in
/// MixupRecipesTests), and `maximumSteps` stopping a run without changing its schedule.
extension TrainerTests {
    @Test func polledInterruptCheckpointsAndResumeEqualsUninterrupted() throws {
        let full = TrainingFixtures.temporaryDirectory("full")
        let split = TrainingFixtures.temporaryDirectory("split")
        defer {
            try? FileManager.default.removeItem(atPath: full)
            try? FileManager.default.removeItem(atPath: split)
        }
        let uninterrupted = try Self.resumableTrainer(directory: full, epochs: 3, cosine: true)
        try uninterrupted.run()

        let stepsTaken = Atomic<Int>(0)
        let interrupted = try Self.resumableTrainer(
            directory: split, epochs: 3, cosine: true,
            interrupts: .poll { stepsTaken.load(ordering: .relaxed) >= 5 ? SIGTERM : nil })
        interrupted.hooks.step.append { stepsTaken.store($0, ordering: .relaxed) }
        let error = try #require(throws: TrainingError.self) { try interrupted.run() }
        guard case .interrupted(1, 1, SIGTERM, let checkpoint) = error else {
            Issue.record("expected an interrupt at epoch 2, step 1 by SIGTERM, got \(error)")
            return
        }
        #expect(checkpoint == interrupted.checkpointPath && error.description.contains("SIGTERM"))

        let resumed = try Self.resumableTrainer(directory: split, epochs: 3, resume: true, cosine: true)
        try resumed.run()
        Self.expectIdentical(TrainingFixtures.state(of: resumed.model), TrainingFixtures.state(of: uninterrupted.model))
    }

    /// `maximumSteps` stops the run early; the learning rate of every step it takes is the uninterrupted run's (the
    /// schedule spans all epochs), and a resume after it reproduces the uninterrupted run.
    @Test func maximumStepsStopsEarlyWithoutShorteningTheSchedule() throws {
        let full = TrainingFixtures.temporaryDirectory("full")
        let split = TrainingFixtures.temporaryDirectory("split")
        defer {
            try? FileManager.default.removeItem(atPath: full)
            try? FileManager.default.removeItem(atPath: split)
        }
        var fullRates: [Float] = []
        let uninterrupted = try Self.resumableTrainer(directory: full, epochs: 3, cosine: true)
        uninterrupted.hooks.step.append { _ in fullRates.append(uninterrupted.optimizer.learningRate) }
        try uninterrupted.run()

        var shortRates: [Float] = []
        let short = try Self.resumableTrainer(directory: split, epochs: 3, maximumSteps: 5, cosine: true)
        short.hooks.step.append { _ in shortRates.append(short.optimizer.learningRate) }
        let result = try short.run()
        #expect(result.steps == 5 && shortRates.count == 5)
        #expect(shortRates == Array(fullRates.prefix(5)), "the schedule still spans 3 epochs")
        #expect(shortRates.last.map { $0 > 0.01 } == true, "a shortened cosine would be near zero by step 5")

        let resumed = try Self.resumableTrainer(directory: split, epochs: 3, resume: true, cosine: true)
        try resumed.run()
        Self.expectIdentical(TrainingFixtures.state(of: resumed.model), TrainingFixtures.state(of: uninterrupted.model))
    }
}
