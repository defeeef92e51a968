import Dispatch
import Foundation
import Synchronization

/// The process's one interrupt mechanism: a single `DispatchSource` per signal (SIGINT for Ctrl-C, SIGTERM for `kill`,
/// Slurm and container runtimes), created on first use and never cancelled, that every ``Trainer`` listens to.
///
/// Why one per process: on Linux, a signal source created after an earlier one for the same signal was cancelled never
/// fires, so trainers that each made and cancelled their own source ignored Ctrl-C from the second model of a
/// comparison on. Here the sources live for the rest of the process and trainers only register and unregister
/// ``InterruptListener``s.
///
/// While no listener is registered a signal keeps its usual meaning: the action that was in place before the source
/// was installed is put back and the signal re-sent (so Ctrl-C outside training still ends the process, with the
/// status a shell expects), unless that action was to ignore the signal.
public final class ProcessInterrupts: Sendable {
    /// The process-wide instance.
    public static let shared = ProcessInterrupts()

    /// The signals trainers stop on by default: SIGINT and SIGTERM.
    public static let defaultSignals: [Int32] = [SIGINT, SIGTERM]

    private struct State: @unchecked Sendable {
        // Dispatch sources are thread-safe objects; they are only created under the lock and never released.
        var sources: [Int32: any DispatchSourceSignal] = [:]
        var previousActions: [Int32: Int] = [:]
        var listeners: [ObjectIdentifier: InterruptListener] = [:]
    }

    private let state = Mutex(State())
    /// The sources' own serial queue: the global concurrent queues can be saturated by compute or blocked threads
    /// (on Linux their width is the core count), which would delay the handler indefinitely.
    private let queue = DispatchQueue(label: "MixupKit.ProcessInterrupts")

    private init() {}

    /// Registers a listener for `signals` (installing each signal's source the first time it is asked for).
    ///
    /// Call ``InterruptListener/stop()`` when done; until then the listener records the first of `signals` received.
    public func listen(to signals: [Int32] = ProcessInterrupts.defaultSignals) -> InterruptListener {
        let listener = InterruptListener(signals: signals)
        state.withLock { state in
            for number in signals where state.sources[number] == nil {
                // Ignoring the signal first keeps its default action from ending the process on platforms where the
                // source observes rather than replaces the handler (Darwin); on Linux the source installs its own.
                let previous = signal(number, SIG_IGN)
                state.previousActions[number] = unsafeBitCast(previous, to: Int.self)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { [unowned self] in self.deliver(number) }
                source.resume()
                state.sources[number] = source
            }
            state.listeners[ObjectIdentifier(listener)] = listener
        }
        return listener
    }

    /// Unregisters `listener`.
    func remove(_ listener: InterruptListener) {
        _ = state.withLock { $0.listeners.removeValue(forKey: ObjectIdentifier(listener)) }
    }

    /// Whether a source for `number` has been installed in this process (for tests and diagnostics).
    public func isInstalled(_ number: Int32) -> Bool {
        state.withLock { $0.sources[number] != nil }
    }

    /// Hands `number` to every listener that wants it, or applies the signal's previous action when none does.
    private func deliver(_ number: Int32) {
        let (interested, previous) = state.withLock { state in
            (state.listeners.values.filter { $0.signals.contains(number) }, state.previousActions[number] ?? 0)
        }
        if interested.isEmpty {
            // SIG_DFL is 0 and SIG_IGN is 1 on every platform this builds for.
            guard previous != 1 else { return }
            let action = unsafeBitCast(previous, to: (@convention(c) (Int32) -> Void)?.self)
            signal(number, action ?? SIG_DFL)
            kill(getpid(), number)
            return
        }
        for listener in interested { listener.record(number) }
    }
}

/// One registration with ``ProcessInterrupts``: polled by a training loop between steps.
public final class InterruptListener: Sendable {
    /// The signals this listener records.
    public let signals: [Int32]
    private let received = Atomic<Int32>(0)

    init(signals: [Int32]) { self.signals = signals }

    /// The first signal received since the listener was registered, or `nil`.
    public var signal: Int32? {
        let value = received.load(ordering: .acquiring)
        return value == 0 ? nil : value
    }

    func record(_ number: Int32) {
        _ = received.compareExchange(expected: 0, desired: number, ordering: .acquiringAndReleasing)
    }

    /// Stops listening; later signals go to other listeners or take their usual action.
    public func stop() { ProcessInterrupts.shared.remove(self) }
}

/// What a ``Trainer`` does about interrupts.
public enum InterruptPolicy: Sendable {
    /// Listen to SIGINT and SIGTERM through ``ProcessInterrupts``; on either, write a checkpoint and throw
    /// ``TrainingError/interrupted(epoch:step:signal:checkpoint:)``. The default.
    case checkpointAndStop
    /// Do not touch signal handling at all (the host program owns it).
    case ignore
    /// Ask `poll` before every step; a non-`nil` signal number stops the run as ``checkpointAndStop`` does (for hosts
    /// with their own signal handling, and for tests).
    case poll(@Sendable () -> Int32?)
}
