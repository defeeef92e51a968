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

    /// How many monitors are active, and the SIGINT action to put back when the last one stops (trainers may run
    /// concurrently, e.g. in tests, and the host program may have its own handler).
    private static let active = Mutex<(count: Int, previous: Handler?)>((0, nil))
    private typealias Handler = @convention(c) (Int32) -> Void

    /// Starts catching SIGINT.
    init() {
        Self.active.withLock { state in
            let previous = signal(SIGINT, SIG_IGN)
            if state.count == 0 { state.previous = previous }
            state.count += 1
        }
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let flag = self.flag
        source.setEventHandler { flag.raised.store(true, ordering: .relaxed) }
        source.resume()
    }

    /// Whether Ctrl-C was pressed.
    var isInterrupted: Bool { flag.raised.load(ordering: .relaxed) }

    /// Stops catching SIGINT; the last active monitor restores the action that was in place before the first.
    func stop() {
        source.cancel()
        Self.active.withLock { state in
            state.count -= 1
            if state.count == 0 { signal(SIGINT, state.previous ?? SIG_DFL) }
        }
    }
}
