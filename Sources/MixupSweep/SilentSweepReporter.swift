/// Ignores every event.
public struct SilentSweepReporter: SweepReporter {
    /// Creates the reporter.
    public init() {}
    public func report(_ event: SweepEvent) {}
}
