import Foundation

/// Everything a run left in its folder, read from disk: the JSON summary (`summary.json`), the provenance
/// (`run-info.json`), each strategy's `metrics.jsonl` and checkpoint metadata, and the figures (`*.svg`).
///
/// A single-strategy run keeps `metrics.jsonl` in the folder itself; a comparison run keeps one sub-folder per
/// strategy.
public struct RunFolder: Sendable {
    /// A figure file found in the run folder.
    public struct Figure: Sendable, Equatable {
        /// The path relative to the run folder.
        public var relativePath: String
        /// The SVG text.
        public var svg: String
    }

    /// The summary file's name.
    public static let summaryFileName = "summary.json"

    /// The folder's path as given.
    public var path: String
    /// The summary's fields, empty when there is no `summary.json`.
    public var summary: [String: String]
    /// The strategies in the order the summary lists them (else by folder name).
    public var strategies: [StrategyRun]
    /// The provenance record, when the run wrote one.
    public var provenance: RunProvenance?
    /// Every `*.svg` in the folder and its sub-folders (two levels), by relative path.
    public var figures: [Figure]

    /// Reads the run folder at `path`.
    ///
    /// - Throws: ``ReportError`` when the folder is missing, has no metrics, or a file in it is corrupt (naming it).
    public init(path: String) throws(ReportError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw .notAFolder(path)
        }
        self.path = path
        let summaryObject = try JSONNode.object(atPath: (path as NSString).appendingPathComponent(Self.summaryFileName))
        summary = (summaryObject ?? [:]).filter { $0.key != "results" }.mapValues(\.displayText)
        provenance = try RunProvenance.read(folder: path)
        var order: [String] = []
        if case .array(let results)? = summaryObject?["results"] {
            order = results.compactMap { entry in
                if case .object(let fields) = entry { return fields["strategy"]?.string }
                return nil
            }
        }
        var strategies: [StrategyRun] = []
        for relative in ["."] + Self.subfolders(of: path) {
            let folder = relative == "." ? path : (path as NSString).appendingPathComponent(relative)
            let metricsPath = (folder as NSString).appendingPathComponent("metrics.jsonl")
            guard FileManager.default.fileExists(atPath: metricsPath) else { continue }
            let metadata =
                try CheckpointHeader.metadata(
                    atPath: (folder as NSString).appendingPathComponent("checkpoint.safetensors")) ?? [:]
            let name =
                metadata["strategy"] ?? (relative == "." ? summaryObject?["strategy"]?.string : nil)
                ?? (relative == "." ? PathText.lastComponent(path) : relative)
            strategies.append(
                StrategyRun(
                    name: name, relativePath: relative, metrics: try EpochMetrics.read(path: metricsPath),
                    checkpointMetadata: metadata))
            if relative == "." { break }
        }
        guard !strategies.isEmpty else { throw .noMetrics(folder: path) }
        self.strategies = strategies.sorted { a, b in
            let (i, j) = (order.firstIndex(of: a.name) ?? Int.max, order.firstIndex(of: b.name) ?? Int.max)
            return i != j ? i < j : a.relativePath < b.relativePath
        }
        figures = try Self.svgFiles(in: path).map { relative throws(ReportError) in
            let file = (path as NSString).appendingPathComponent(relative)
            guard let data = FileManager.default.contents(atPath: file) else {
                throw .corruptFile(path: file, line: 0, reason: "cannot be read")
            }
            return Figure(relativePath: relative, svg: String(decoding: data, as: UTF8.self))
        }
    }

    /// The run's recipe (summary, else checkpoint metadata, else `"unknown"`).
    public var recipe: String {
        summary["recipe"] ?? strategies.lazy.compactMap { $0.checkpointMetadata["recipe"] }.first ?? "unknown"
    }

    /// The run's seed (summary, else checkpoint metadata, else provenance, else `"unknown"`).
    public var seed: String {
        summary["seed"] ?? strategies.lazy.compactMap { $0.checkpointMetadata["seed"] }.first
            ?? provenance?.options.first { $0.name == "seed" }?.value ?? "unknown"
    }

    /// The immediate sub-folders, sorted by name.
    static func subfolders(of path: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { name in
            var isFolder: ObjCBool = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(
                    atPath: (path as NSString).appendingPathComponent(name), isDirectory: &isFolder)
                && isFolder.boolValue
        }.sorted()
    }

    /// `*.svg` files in `path` and up to two levels of sub-folders, sorted by relative path.
    static func svgFiles(in path: String, depth: Int = 2, prefix: String = "") -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
        var found = names.filter { $0.lowercased().hasSuffix(".svg") && !$0.hasPrefix(".") }.map { prefix + $0 }
        if depth > 0 {
            for folder in subfolders(of: path) {
                found += svgFiles(
                    in: (path as NSString).appendingPathComponent(folder), depth: depth - 1,
                    prefix: prefix + folder + "/")
            }
        }
        return found.sorted()
    }
}
