import Foundation

/// What a run was: the library version and commit it was built from and every option it ran with, written to
/// `run-info.json` at the end of a run so a report rebuilt later shows the same values.
public struct RunProvenance: Sendable, Equatable, Codable {
    /// One option and its value as text (`"default"` when the recipe's default was used).
    public struct Option: Sendable, Equatable, Codable {
        /// The option's name (`epochs`, `seed`, `alpha`, …).
        public var name: String
        /// Its value as text.
        public var value: String

        /// Creates an option entry.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The file name in the run folder.
    public static let fileName = "run-info.json"
    /// The version of MixupKit this source tree is.
    public static let currentLibraryVersion = "0.1.0-dev"

    /// The MixupKit version, or `"unknown"`.
    public var libraryVersion: String
    /// The git commit of the MixupKit checkout, or `"unknown"`.
    public var commit: String
    /// Every option of the run, in declaration order.
    public var options: [Option]

    /// Creates a provenance record.
    public init(libraryVersion: String, commit: String, options: [Option]) {
        self.libraryVersion = libraryVersion
        self.commit = commit
        self.options = options
    }

    /// The provenance of a run of this build with `options` (any value whose stored properties are the options,
    /// such as the runner's `RunOptions`): the library version, the commit of the checkout this library was compiled
    /// from (found from the source file's location; `"unknown"` when it is not a git checkout) and every stored
    /// property of `options`, unwrapping optionals (`nil` reads `"default"`).
    public static func current(options: Any) -> RunProvenance {
        RunProvenance(
            libraryVersion: currentLibraryVersion, commit: GitCommit.find(from: #filePath) ?? "unknown",
            options: Mirror(reflecting: options).children.map { child in
                Option(name: child.label ?? "?", value: describe(child.value))
            })
    }

    /// `value` as text, unwrapping optionals; dictionaries and sets list their entries sorted, so the text does not
    /// depend on the process's hash seed.
    static func describe(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.map { describe($0.value) } ?? "default"
        case .dictionary:
            let entries = mirror.children.map { entry in
                let pair = Array(Mirror(reflecting: entry.value).children)
                return pair.count == 2
                    ? "\(describe(pair[0].value)): \(describe(pair[1].value))" : describe(entry.value)
            }
            return "[" + entries.sorted().joined(separator: ", ") + "]"
        case .set:
            return "[" + mirror.children.map { describe($0.value) }.sorted().joined(separator: ", ") + "]"
        default:
            return "\(value)"
        }
    }

    /// Reads `run-info.json` from `folder`, or returns `nil` when there is none.
    ///
    /// - Throws: ``ReportError/corruptFile(path:line:reason:)`` when the file is not a provenance record.
    public static func read(folder: String) throws(ReportError) -> RunProvenance? {
        let path = (folder as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(RunProvenance.self, from: data)
        } catch {
            throw .corruptFile(path: path, line: 0, reason: "not a run-info record (\(error))")
        }
    }

    /// Writes `run-info.json` into `folder` (sorted keys, so the same run writes the same bytes).
    public func write(folder: String) throws(ReportError) {
        let path = (folder as NSString).appendingPathComponent(Self.fileName)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        do {
            try (encoder.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .writeFailed(path: path, reason: error.localizedDescription)
        }
    }
}
