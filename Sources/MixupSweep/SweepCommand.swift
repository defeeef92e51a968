import Foundation

/// `mixup sweep`: the command-line face of ``Sweep``, ``SweepRunner``, ``SlurmJob`` and ``SweepReport``.
///
/// ```
/// mixup sweep <recipe> [axes] [--seeds 0-4] [--jobs N] [--out DIR] [run flags…]
/// mixup sweep <recipe> [axes] --slurm [--partition P --time T --cpus-per-task C --array-limit K] [--dry-run]
/// mixup sweep report DIR
/// mixup sweep cell DIR INDEX [--threads T]
/// ```
/// Any flag it does not know is passed to every cell's `mixup run`.
public struct SweepCommand {
    /// The recipe names the executable knows (for a clear error before anything starts).
    public var recipes: [String]
    /// The program the cells run.
    public var executable: String
    /// Where progress goes.
    public var reporter: any SweepReporter
    /// Where command output goes (a dry-run's script, `report`'s file list): standard output by default.
    public var output: @Sendable (String) -> Void
    /// The strategy names (and aliases) that take no α, from the executable's strategy catalogue: their cells leave
    /// the α axis out. `nil` keeps ``Sweep``'s default.
    public var strategiesWithoutAlpha: [String]?

    /// Creates the command.
    public init(
        recipes: [String], executable: String = SweepRunner.currentExecutable,
        reporter: any SweepReporter = ConsoleSweepReporter(),
        output: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
    ) {
        self.recipes = recipes
        self.executable = executable
        self.reporter = reporter
        self.output = output
    }

    /// What `mixup sweep` was asked to do.
    public struct Invocation: Sendable, Equatable {
        /// The sweep.
        public var sweep: Sweep
        /// `--jobs N`.
        public var jobs: Int
        /// `--slurm` and its options, or `nil` to run here.
        public var slurm: SlurmJob?
        /// `--dry-run`: write and print the Slurm script without submitting.
        public var dryRun: Bool
    }

    /// The help text.
    public static let usage = """
        USAGE:
          mixup sweep <recipe> [axes] [--seeds LIST] [--jobs N] [--out DIR] [--baseline NAME] [run flags…]
          mixup sweep <recipe> [axes] --slurm [--partition P] [--time T] [--cpus-per-task C] [--array-limit K] [--dry-run]
          mixup sweep report DIR          rebuild results.md, results.csv and the charts from DIR
          mixup sweep cell DIR INDEX      run one cell (what each Slurm array task does)

        AXES (comma-separated values; every combination × every seed is one cell):
          --strategy A,B        strategies (`erm` skips the α axis; only manifold takes --mix-points)
          --alpha 0.2,1,2       Beta(α, α) concentrations
          --mix-points S1,S2    mix-point sets, points joined by ':' (e.g. input:hidden1,hidden1:hidden2)
          --labels N1,N2        labelled samples (semi-supervised recipes)
          --vary FLAG=V1,V2     any other `mixup run` flag (repeatable), e.g. --vary batch-size=64,128
          --seeds 0-4           seeds: ranges and lists, e.g. 0-2,7 (default 0)

        Cells run as separate `run` processes, --jobs at once (default 1; each gets --threads cores/jobs unless
        given), in DIR/<configuration>/seed<S> (default DIR: sweeps/<recipe>). Rerunning skips finished cells, resumes
        interrupted ones and reruns failed ones. Results: DIR/results.md, results.csv, chart_*.svg, curves_*.svg.
        Exit status: 0 all cells finished, 1 a cell failed, 130 interrupted, 2 usage error.
        """

    /// Runs `arguments` (after `sweep`) and returns the exit status.
    public func run(arguments: [String]) -> Int32 {
        do {
            switch arguments.first {
            case nil, "--help", "-h", "help":
                output(Self.usage)
                return arguments.isEmpty ? 2 : 0
            case "report":
                guard arguments.count == 2 else { throw SweepError.invalidArgument("usage: mixup sweep report DIR") }
                return try report(directory: arguments[1])
            case "cell":
                return try cell(Array(arguments.dropFirst()))
            default:
                let invocation = try parse(arguments)
                return try execute(invocation)
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 2
        }
    }

    /// Parses `<recipe> [flags]`.
    ///
    /// - Throws: ``SweepError/invalidArgument(_:)`` naming the flag or value.
    public func parse(_ arguments: [String]) throws(SweepError) -> Invocation {
        guard let recipe = arguments.first, !recipe.hasPrefix("-") else {
            throw .invalidArgument("`mixup sweep` needs a recipe name; `mixup list` shows them")
        }
        guard recipes.contains(recipe) else {
            throw .invalidArgument("unknown recipe \"\(recipe)\"; available: \(recipes.joined(separator: ", "))")
        }
        var sweep = Sweep(recipe: recipe, outputDirectory: "sweeps/\(recipe)")
        if let strategiesWithoutAlpha { sweep.strategiesWithoutAlpha = strategiesWithoutAlpha }
        var jobs = 1
        var slurm: SlurmJob? = nil
        var slurmFlags = SlurmJob(executable: executable)
        var usedSlurmFlag: String? = nil
        var dryRun = false
        var index = 1
        func value(_ flag: String) throws(SweepError) -> String {
            index += 1
            guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                throw .invalidArgument("\(flag) needs a value")
            }
            return arguments[index]
        }
        func list(_ flag: String) throws(SweepError) -> [String] {
            let items = try value(flag).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard !items.contains(where: \.isEmpty) else {
                throw .invalidArgument("\(flag) has an empty value in \"\(arguments[index])\"")
            }
            return items
        }
        func positive(_ flag: String) throws(SweepError) -> Int {
            let text = try value(flag)
            guard let number = Int(text), number > 0 else {
                throw .invalidArgument("\(flag) needs a positive integer, got \"\(text)\"")
            }
            return number
        }
        while index < arguments.count {
            let flag = arguments[index]
            switch flag {
            case "--strategy", "--strategies": sweep.strategies = try list(flag)
            case "--alpha":
                sweep.alphas = try list(flag).map { text throws(SweepError) in
                    guard let alpha = Double(text), alpha > 0, alpha.isFinite else {
                        throw .invalidArgument("--alpha values must be positive numbers, got \"\(text)\"")
                    }
                    return alpha
                }
            case "--mix-points": sweep.mixPointSets = try list(flag).map { $0.split(separator: ":").map(String.init) }
            case "--labels":
                sweep.labels = try list(flag).map { text throws(SweepError) in
                    guard let count = Int(text), count > 0 else {
                        throw .invalidArgument("--labels values must be positive integers, got \"\(text)\"")
                    }
                    return count
                }
            case "--vary":
                let text = try value(flag)
                guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                    throw .invalidArgument("--vary needs FLAG=V1,V2, got \"\(text)\"")
                }
                let values = text[text.index(after: equals)...].split(separator: ",").map(String.init)
                guard !values.isEmpty else { throw .invalidArgument("--vary \(text) has no values") }
                sweep.options.append(SweepOption(flag: String(text[..<equals]), values: values))
            case "--seeds": sweep.seeds = try Self.seeds(try value(flag))
            case "--seed": throw .invalidArgument("a sweep takes --seeds (e.g. --seeds 0-4), not --seed")
            case "--jobs": jobs = try positive(flag)
            case "--out": sweep.outputDirectory = try value(flag)
            case "--baseline": sweep.baseline = try value(flag)
            case "--slurm": slurm = slurmFlags
            case "--partition":
                slurmFlags.partition = try value(flag)
                usedSlurmFlag = flag
            case "--time":
                slurmFlags.time = try value(flag)
                usedSlurmFlag = flag
            case "--cpus-per-task":
                slurmFlags.cpusPerTask = try positive(flag)
                usedSlurmFlag = flag
            case "--array-limit":
                slurmFlags.arrayLimit = try positive(flag)
                usedSlurmFlag = flag
            case "--dry-run": dryRun = true
            case "--resume":
                throw .invalidArgument(
                    "a sweep always resumes interrupted cells; rerun the same command without --resume")
            default:
                guard flag.hasPrefix("--") else {
                    throw .invalidArgument("unexpected argument \"\(flag)\"; see `mixup sweep --help`")
                }
                sweep.arguments.append(flag)
                if index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") {
                    index += 1
                    sweep.arguments.append(arguments[index])
                }
            }
            index += 1
        }
        if slurm != nil { slurm = slurmFlags }
        if let usedSlurmFlag, slurm == nil { throw .invalidArgument("\(usedSlurmFlag) needs --slurm") }
        if dryRun, slurm == nil { throw .invalidArgument("--dry-run needs --slurm") }
        sweep.commandLine = (["mixup", "sweep"] + arguments).map(SlurmJob.quoted).joined(separator: " ")
        try sweep.validate()
        return Invocation(sweep: sweep, jobs: jobs, slurm: slurm, dryRun: dryRun)
    }

    /// Parses `0-4`, `0,2,5` or `0-2,7` into seeds, in the order written.
    ///
    /// - Throws: ``SweepError/invalidArgument(_:)`` naming the bad part.
    public static func seeds(_ text: String) throws(SweepError) -> [UInt64] {
        var seeds: [UInt64] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let low = UInt64(bounds[0]),
                let high = UInt64(bounds[bounds.count - 1]),
                low <= high, high - low < 100_000
            else {
                throw .invalidArgument("--seeds needs non-negative integers or ranges like 0-4, got \"\(part)\"")
            }
            seeds += Array(low...high)
        }
        return seeds
    }

    /// Runs (or submits) a parsed sweep and writes its results.
    public func execute(_ invocation: Invocation) throws(SweepError) -> Int32 {
        let sweep = invocation.sweep
        if let slurm = invocation.slurm {
            let submission = try slurm.submit(sweep, dryRun: invocation.dryRun)
            guard let path = submission.scriptPath, let script = submission.script else {
                reporter.report(.note("every cell of \(sweep.outputDirectory) is finished; nothing to submit"))
                return try report(directory: sweep.outputDirectory)
            }
            reporter.report(.wrote(path: path))
            if let jobID = submission.jobID {
                reporter.report(
                    .note(
                        "submitted job \(jobID): \(submission.cells.count) cells; `mixup sweep report \(sweep.outputDirectory)` collects the results"
                    ))
            } else {
                if !invocation.dryRun { reporter.report(.note("sbatch is not on the PATH; submit \(path) yourself")) }
                output(script)
            }
            return 0
        }
        var extra: [String] = []
        if !sweep.arguments.contains("--threads") {
            extra = ["--threads", String(max(1, ProcessInfo.processInfo.activeProcessorCount / invocation.jobs))]
        }
        let runner = SweepRunner(
            jobs: invocation.jobs, executable: executable, extraArguments: extra, reporter: reporter)
        let outcome = try runner.run(sweep)
        for path in try SweepReport(directory: sweep.outputDirectory).write() { reporter.report(.wrote(path: path)) }
        if outcome.wasInterrupted { return 130 }
        if !outcome.failed.isEmpty {
            reporter.report(.note("\(outcome.failed.count) cell(s) failed; rerun the same command to retry them"))
            return 1
        }
        return outcome.succeeded ? 0 : 1
    }

    /// `mixup sweep report DIR`: rebuilds the results; exit 1 when some cell is not finished.
    func report(directory: String) throws(SweepError) -> Int32 {
        let report = try SweepReport(directory: directory)
        for path in try report.write() { output(path) }
        let counts = report.counts
        let finished = counts[.finished] ?? 0
        reporter.report(.note("\(finished)/\(report.states.count) cells finished"))
        return finished == report.states.count ? 0 : 1
    }

    /// `mixup sweep cell DIR INDEX [--threads T]`: runs one cell (skipping it when finished).
    func cell(_ arguments: [String]) throws(SweepError) -> Int32 {
        guard arguments.count == 2 || (arguments.count == 4 && arguments[2] == "--threads"),
            let index = Int(arguments[1])
        else {
            throw .invalidArgument("usage: mixup sweep cell DIR INDEX [--threads T], got \(arguments)")
        }
        let sweep = try Sweep.load(from: arguments[0])
        let cells = sweep.cells
        guard cells.indices.contains(index) else {
            throw .invalidArgument("cell \(index) does not exist: \(arguments[0]) has cells 0-\(cells.count - 1)")
        }
        let cell = cells[index]
        if SweepCellStatus.read(from: cell.directory).state == .finished {
            reporter.report(.skipped(cell))
            return 0
        }
        let process = try CellProcess(
            cell: cell, executable: executable, extraArguments: Array(arguments.dropFirst(2)))
        reporter.report(.started(cell, resuming: process.resuming))
        process.wait()
        let event = process.finish()
        reporter.report(event)
        if case .finished = event { return 0 }
        return 1
    }
}
