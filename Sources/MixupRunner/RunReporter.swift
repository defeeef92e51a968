import Foundation
import MixupKit

/// Where ``RecipeCommand`` sends everything it shows: help and lists, the results table, the summary line, errors,
/// and (through ``trainingReporter(style:label:)``) the trainers' progress. Replace it to capture or redirect output;
/// the default, ``StandardStreamsReporter``, writes results to standard output and progress and errors to standard
/// error.
public protocol RunReporter: AnyObject {
    /// Text for the user on the main output (help, `mixup list`, the results table).
    func output(_ text: String)
    /// The run's summary, once, at the end of a successful run.
    func summary(_ summary: RunSummary)
    /// A diagnostic line (a note from a recipe, an error message).
    func diagnostic(_ text: String)
    /// The reporter for one trainer's progress.
    func trainingReporter(style: ProgressStyle, label: String) -> any TrainingReporter
}

/// The default ``RunReporter``: results and the summary (one JSON line) on standard output, progress, notes and errors
/// on standard error.
public final class StandardStreamsReporter: RunReporter {
    /// Creates the reporter.
    public init() {}

    public func output(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes the summary as one JSON line with sorted keys.
    public func summary(_ summary: RunSummary) {
        output(Self.json(summary))
    }

    public func diagnostic(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    public func trainingReporter(style: ProgressStyle, label: String) -> any TrainingReporter {
        ConsoleTrainingReporter(style: style)
    }

    /// `summary` as one line of JSON with sorted keys.
    public static func json(_ summary: RunSummary) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(summary) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
