import Foundation

/// Writes progress to standard error: a live bar on a terminal, plain lines otherwise.
struct ProgressReporter {
    let style: ProgressStyle
    let isTerminal: Bool
    let label: String
    private var lastDraw = Date.distantPast

    init(style: ProgressStyle, label: String) {
        self.style = style
        self.isTerminal = isatty(STDERR_FILENO) != 0
        self.label = label
    }

    private var usesBar: Bool { style == .automatic && isTerminal }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// When and at which step the current epoch's first redraw happened, for the epoch's ETA.
    private var epochMark: (epoch: Int, step: Int, time: Date)?

    /// Redraws the bar (at most 10 times a second): the epoch's progress, the mean loss and the accuracy so far (on the
    /// mixed batches, against each mixed target's dominant class), throughput, and the time left in the epoch and in
    /// the whole run.
    mutating func update(
        epoch: Int, epochs: Int, step: Int, steps: Int, loss: Double, accuracy: Double, samplesPerSecond: Double,
        secondsLeft: Double
    ) {
        guard usesBar else { return }
        let now = Date()
        if epochMark?.epoch != epoch { epochMark = (epoch, step, now) }
        guard now.timeIntervalSince(lastDraw) > 0.1 || step == steps else { return }
        lastDraw = now
        let width = 24
        let filled = steps > 0 ? width * step / steps : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = String(
            format: "\r%@ epoch %d/%d %@ %3d%% loss %.4f mixed-acc %5.1f%% %6.0f samples/s ETA epoch %@ run %@", label,
            epoch, epochs, bar, steps > 0 ? 100 * step / steps : 100, loss, 100 * accuracy, samplesPerSecond,
            Self.clock(epochSecondsLeft(step: step, steps: steps, now: now)), Self.clock(secondsLeft))
        Self.write(line + "\u{1B}[K")
    }

    /// The epoch's remaining steps at the mean step time since the epoch's first redraw; unknown (NaN) before two.
    private func epochSecondsLeft(step: Int, steps: Int, now: Date) -> Double {
        guard let mark = epochMark, step > mark.step else { return .nan }
        return Double(steps - step) * now.timeIntervalSince(mark.time) / Double(step - mark.step)
    }

    /// Ends an epoch: finishes the bar line or prints a plain line.
    mutating func epochFinished(_ report: EpochReport, epochs: Int) {
        guard style != .silent else { return }
        var line = String(
            format: "%@ epoch %d/%d loss %.4f mixed-batch-acc %.2f%%", label, report.epoch, epochs, report.trainLoss,
            100 * report.trainAccuracy)
        if let test = report.test {
            line += String(format: " test-err %.2f%% test-nll %.4f", 100 * test.error, test.negativeLogLikelihood)
        }
        line += String(
            format: " lr %.4g %.0f samples/s %.1fs", report.learningRate, report.samplesPerSecond, report.elapsedSeconds
        )
        Self.write((usesBar ? "\r" : "") + line + (usesBar ? "\u{1B}[K" : "") + "\n")
    }

    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
