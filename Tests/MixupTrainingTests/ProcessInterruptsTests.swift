import Foundation
import MixupKit
import Testing

/// The process-wide sources, exercised with SIGUSR2 so that trainers running in parallel tests (which listen to SIGINT
/// and SIGTERM) never see these signals.
@Suite(.serialized) struct ProcessInterruptsTests {
    /// A listener kept for the rest of the test process, so that a resent signal arriving after a test's own listener
    /// stopped is recorded here instead of taking its default action (ending the process).
    static let keeper = ProcessInterrupts.shared.listen(to: [SIGUSR1, SIGUSR2])

    /// Sends `signal` to this process until `listener` records it (the first source registers asynchronously, and a
    /// signal sent before that is ignored), for up to ten seconds.
    static func deliver(_ signal: Int32, to listener: InterruptListener) -> Int32? {
        _ = keeper
        for attempt in 0..<1000 {
            if attempt % 10 == 0 { kill(getpid(), signal) }
            if let received = listener.signal { return received }
            usleep(10_000)
        }
        return nil
    }

    /// The Linux bug: a source created after an earlier one was cancelled never fires. Here the source is created once,
    /// so a listener registered after another one stopped still gets the signal.
    @Test func aListenerRegisteredAfterAnotherStoppedStillReceivesTheSignal() throws {
        let first = ProcessInterrupts.shared.listen(to: [SIGUSR2])
        #expect(ProcessInterrupts.shared.isInstalled(SIGUSR2))
        #expect(first.signal == nil)
        #expect(Self.deliver(SIGUSR2, to: first) == SIGUSR2)
        first.stop()

        let second = ProcessInterrupts.shared.listen(to: [SIGUSR2])
        #expect(second.signal == nil, "a new listener does not inherit an earlier signal")
        #expect(Self.deliver(SIGUSR2, to: second) == SIGUSR2)
        #expect(first.signal == SIGUSR2)
        second.stop()
    }

    @Test func listenersOnlyRecordTheirOwnSignals() throws {
        let other = ProcessInterrupts.shared.listen(to: [SIGUSR1])
        let mine = ProcessInterrupts.shared.listen(to: [SIGUSR2])
        defer {
            other.stop()
            mine.stop()
        }
        #expect(Self.deliver(SIGUSR2, to: mine) == SIGUSR2)
        #expect(other.signal == nil)
    }

    @Test func theIgnorePolicyNeverInstallsASource() throws {
        // SIGINT may already be installed by another test's trainer; a run with `.ignore` must work either way and
        // must not be stopped by anything.
        let trainer = TrainingFixtures.trainer(
            model: TrainingFixtures.mlp(seed: 2), train: TrainingFixtures.moons(perClass: 5, seed: 1),
            configuration: TrainerConfiguration(epochs: 1, batchSize: 4, interrupts: .ignore))
        #expect(try trainer.run().steps == 3)
    }
}
