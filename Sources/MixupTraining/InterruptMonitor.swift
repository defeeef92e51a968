import Dispatch
import Foundation
import Synchronization

/// Turns Ctrl-C (SIGINT) into a flag the training loop polls, so it can save a checkpoint before exiting.
final class InterruptMonitor {
    /// The flag the signal handler sets; shared with the handler's queue.
    private final class Flag: Sendable {
        let raised = Atomic<Bool>(false)
    }

    private let flag = Flag()
    private let source: any DispatchSourceSignal

    /// Starts catching SIGINT.
    init() {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let flag = self.flag
        source.setEventHandler { flag.raised.store(true, ordering: .relaxed) }
        source.resume()
    }

    /// Whether Ctrl-C was pressed.
    var isInterrupted: Bool { flag.raised.load(ordering: .relaxed) }

    /// Stops catching SIGINT and restores the default action.
    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
