import Foundation

/// `mixup report DIR`: rebuilds `report.html` of a run folder, or `sweep-report.html` (and every cell's report) of a
/// sweep folder.
public enum ReportCommand {
    /// Builds the report for the folder at `path`: a run report when it holds `metrics.jsonl` (directly or in a
    /// strategy sub-folder) or `summary.json`, else a sweep report over the run folders below it.
    ///
    /// - Returns: the path of the report written.
    /// - Throws: ``ReportError`` naming the folder or file at fault.
    public static func run(path: String) throws(ReportError) -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw .notAFolder(path)
        }
        let manager = FileManager.default
        let isRun =
            manager.fileExists(atPath: (path as NSString).appendingPathComponent(RunFolder.summaryFileName))
            || manager.fileExists(atPath: (path as NSString).appendingPathComponent("metrics.jsonl"))
        return isRun ? try RunReport.write(runFolder: path) : try SweepReportPage.write(sweepFolder: path)
    }
}
