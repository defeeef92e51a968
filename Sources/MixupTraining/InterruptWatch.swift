/// A trainer's view of its ``InterruptPolicy`` for one run: the signal to stop on, if one arrived.
struct InterruptWatch {
    private let listener: InterruptListener?
    private let poll: (@Sendable () -> Int32?)?

    /// Starts watching according to `policy`.
    init(_ policy: InterruptPolicy) {
        switch policy {
        case .checkpointAndStop:
            listener = ProcessInterrupts.shared.listen()
            poll = nil
        case .ignore:
            listener = nil
            poll = nil
        case .poll(let function):
            listener = nil
            poll = function
        }
    }

    /// The signal received since the watch started, or `nil`.
    var signal: Int32? { listener?.signal ?? poll?() }

    /// Stops watching (the process-wide sources stay installed for the next run).
    func stop() { listener?.stop() }
}
