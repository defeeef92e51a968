import Foundation

/// The default ``TrainingReporter``: a live bar on standard error when it is a terminal, plain lines per epoch
/// otherwise, nothing when the style is ``ProgressStyle/silent``.
public final class ConsoleTrainingReporter: TrainingReporter {
    /// How progress is shown.
    public let style: ProgressStyle
    private let isTerminal: Bool
    private var lastDraw = Date.distantPast

    /// Creates a reporter writing to standard error.
    public init(style: ProgressStyle = .automatic) {
        self.style = style
        self.isTerminal = isatty(STDERR_FILENO) != 0
    }

    private var usesBar: Bool { style == .automatic && isTerminal }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Redraws the bar (at most 10 times a second).
    public func stepFinished(_ progress: StepProgress) {
        guard usesBar else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 || progress.step == progress.steps else { return }
        lastDraw = now
        let width = 24
        let (step, steps) = (progress.step, progress.steps)
        let filled = steps > 0 ? width * step / steps : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = String(
            format: "\r%@ epoch %d/%d %@ %3d%% loss %.4f acc %5.1f%% %6.0f samples/s ETA %@", progress.label,
            progress.epoch, progress.epochs, bar, steps > 0 ? 100 * step / steps : 100, progress.loss,
            100 * progress.accuracy, progress.samplesPerSecond, Self.clock(progress.secondsLeft))
        Self.write(line + "\u{1B}[K")
    }

    /// Ends an epoch: finishes the bar line or prints a plain line.
    public func epochFinished(_ report: EpochReport, epochs: Int, label: String) {
        guard style != .silent else { return }
        var line = String(
            format: "%@ epoch %d/%d loss %.4f train-acc %.2f%%", label, report.epoch, epochs, report.trainLoss,
            100 * report.trainAccuracy)
        if let test = report.test {
            line += String(format: " test-err %.2f%% test-nll %.4f", 100 * test.error, test.negativeLogLikelihood)
        }
        line += String(
            format: " lr %.4g %.0f samples/s %.1fs", report.learningRate, report.samplesPerSecond, report.elapsedSeconds
        )
        Self.write((usesBar ? "\r" : "") + line + (usesBar ? "\u{1B}[K" : "") + "\n")
    }

    /// Writes the note on its own line.
    public func note(_ message: String) {
        guard style != .silent else { return }
        Self.write((usesBar ? "\r\u{1B}[K" : "") + message + "\n")
    }

    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
