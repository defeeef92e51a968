import Foundation

/// Receives what a sweep does, to show it: the command-line reporter writes lines to standard error; tests and user
/// programs collect events or stay silent.
public protocol SweepReporter: Sendable {
    /// Called for every event, from the thread that runs the sweep.
    func report(_ event: SweepEvent)
}
