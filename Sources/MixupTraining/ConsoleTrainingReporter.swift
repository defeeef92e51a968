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

    /// Redraws the bar (at most 10 times a second): the epoch's progress, the mean loss and the accuracy so far (on the
    /// mixed batches, against each mixed target's dominant class), throughput, and the time left in the epoch and in
    /// the whole run.
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
            format: "\r%@ epoch %d/%d %@ %3d%% loss %.4f mixed-acc %5.1f%% %6.0f samples/s ETA epoch %@ run %@",
            progress.label, progress.epoch, progress.epochs, bar, steps > 0 ? 100 * step / steps : 100, progress.loss,
            100 * progress.accuracy, progress.samplesPerSecond, Self.clock(Self.epochSecondsLeft(progress)),
            Self.clock(progress.secondsLeft))
        Self.write(line + "\u{1B}[K")
    }

    /// The seconds left in the epoch: the run's estimate scaled by the epoch's share of the remaining steps (both come
    /// from the same throughput); NaN (shown as `--:--`) when no step is left to scale by.
    static func epochSecondsLeft(_ progress: StepProgress) -> Double {
        let runStepsLeft = progress.totalSteps - progress.globalStep
        let epochStepsLeft = min(progress.steps - progress.step, runStepsLeft)
        guard runStepsLeft > 0 else { return progress.step >= progress.steps ? 0 : .nan }
        return progress.secondsLeft * Double(max(epochStepsLeft, 0)) / Double(runStepsLeft)
    }

    /// Ends an epoch: finishes the bar line or prints a plain line.
    public func epochFinished(_ report: EpochReport, epochs: Int, label: String) {
        guard style != .silent else { return }
        var line = String(
            format: "%@ epoch %d/%d loss %.4f", label, report.epoch, epochs, report.trainLoss)
        // A regression run has no classes to be accurate on.
        if report.regressionTest == nil {
            line += String(format: " mixed-batch-acc %.2f%%", 100 * report.trainAccuracy)
        }
        if let test = report.test {
            line += String(format: " test-err %.2f%% test-nll %.4f", 100 * test.error, test.negativeLogLikelihood)
        }
        if let regression = report.regressionTest {
            line += String(
                format: " test-mse %.5g test-rmse %.5g", regression.meanSquaredError, regression.rootMeanSquaredError)
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
