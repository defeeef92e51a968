import Foundation

/// A Slurm job array for a sweep: one array task per unfinished cell, each running
/// `<executable> sweep cell <sweep folder> $SLURM_ARRAY_TASK_ID`, which runs that cell exactly as the local runner
/// would (same folder, logs, status, resume). `mixup sweep report <folder>` collects the results as tasks finish.
public struct SlurmJob: Sendable, Equatable {
    /// `--partition`.
    public var partition: String?
    /// `--time` (e.g. `1:00:00`).
    public var time: String?
    /// `--cpus-per-task`; each cell then runs with `--threads` equal to it.
    public var cpusPerTask: Int?
    /// The `%K` of `--array`: at most this many tasks at once.
    public var arrayLimit: Int?
    /// The program the tasks run (by default this executable).
    public var executable: String
    /// The folder tasks start in (relative paths of the sweep resolve against it).
    public var workingDirectory: String

    /// Creates a job description.
    public init(
        partition: String? = nil, time: String? = nil, cpusPerTask: Int? = nil, arrayLimit: Int? = nil,
        executable: String = SweepRunner.currentExecutable,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) {
        self.partition = partition
        self.time = time
        self.cpusPerTask = cpusPerTask
        self.arrayLimit = arrayLimit
        self.executable = executable
        self.workingDirectory = workingDirectory
    }

    /// The cells a submission runs: every cell not finished (never started, failed, interrupted or killed).
    public static func unfinishedCells(of sweep: Sweep) -> [Int] {
        sweep.cells.filter { SweepCellStatus.read(from: $0.directory).state != .finished }.map(\.index)
    }

    /// The `--array` value: sorted indices as ranges, e.g. `0-11%4` or `1,3-5`.
    public func arraySpecification(_ indices: [Int]) -> String {
        var parts: [String] = []
        var sorted = indices.sorted()[...]
        while let first = sorted.first {
            var last = first
            sorted = sorted.dropFirst()
            while sorted.first == last + 1 {
                last += 1
                sorted = sorted.dropFirst()
            }
            parts.append(first == last ? "\(first)" : "\(first)-\(last)")
        }
        return parts.joined(separator: ",") + (arrayLimit.map { "%\($0)" } ?? "")
    }

    /// The batch script for `indices` (cell indices of `sweep`).
    public func script(for sweep: Sweep, indices: [Int]) -> String {
        let logs = (sweep.outputDirectory as NSString).appendingPathComponent("slurm")
        var lines = [
            "#!/bin/bash",
            "# Written by `mixup sweep --slurm`: one array task per cell of \(sweep.outputDirectory)/sweep.json.",
            "#SBATCH --job-name=sweep-\(sweep.recipe)",
            "#SBATCH --array=\(arraySpecification(indices))",
            "#SBATCH --output=\(Self.absolute(logs, from: workingDirectory))/task-%A_%a.log",
            "#SBATCH --chdir=\(workingDirectory)",
            "#SBATCH --ntasks=1",
        ]
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time { lines.append("#SBATCH --time=\(time)") }
        if let cpusPerTask { lines.append("#SBATCH --cpus-per-task=\(cpusPerTask)") }
        let command = [executable, "sweep", "cell", sweep.outputDirectory].map(Self.quoted).joined(separator: " ")
        lines += [
            "set -eu",
            "exec \(command) \"$SLURM_ARRAY_TASK_ID\"" + (cpusPerTask.map { " --threads \($0)" } ?? ""),
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    static func absolute(_ path: String, from directory: String) -> String {
        path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
    }

    /// Single-quotes `text` for the shell.
    static func quoted(_ text: String) -> String {
        text.allSatisfy({ $0.isLetter || $0.isNumber || "/._-+=:,".contains($0) })
            ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The result of ``submit(_:dryRun:)``.
    public struct Submission: Sendable, Equatable {
        /// The script's path (`<sweep folder>/slurm/sweep.sbatch`), or `nil` when nothing was left to run.
        public var scriptPath: String?
        /// The script text.
        public var script: String?
        /// The cells submitted.
        public var cells: [Int]
        /// `sbatch`'s job id, when submitted.
        public var jobID: String?
    }

    /// Saves `sweep.json` and the script for the unfinished cells, and submits it with `sbatch` unless `dryRun` or
    /// `sbatch` is not on the `PATH` (then ``Submission/jobID`` is `nil`).
    ///
    /// - Throws: ``SweepError`` for an invalid sweep, an unwritable folder, or `sbatch` failing (with its message).
    public func submit(_ sweep: Sweep, dryRun: Bool) throws(SweepError) -> Submission {
        try sweep.validate()
        try sweep.save()
        let indices = Self.unfinishedCells(of: sweep)
        guard !indices.isEmpty else { return Submission(scriptPath: nil, script: nil, cells: [], jobID: nil) }
        let text = script(for: sweep, indices: indices)
        let folder = (sweep.outputDirectory as NSString).appendingPathComponent("slurm")
        let path = (folder as NSString).appendingPathComponent("sweep.sbatch")
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
        guard !dryRun, let sbatch = Self.findOnPath("sbatch") else {
            return Submission(scriptPath: path, script: text, cells: indices, jobID: nil)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sbatch)
        process.arguments = ["--parsable", path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw .launchFailed(executable: sbatch, reason: error.localizedDescription)
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw .launchFailed(
                executable: sbatch,
                reason: "exit \(process.terminationStatus): "
                    + String(decoding: err, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let jobID = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Submission(scriptPath: path, script: text, cells: indices, jobID: jobID)
    }

    /// The first executable called `name` in `$PATH`.
    static func findOnPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { ($0 as NSString).appendingPathComponent(name) as String }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
