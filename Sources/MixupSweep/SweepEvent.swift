/// Something that happened in a sweep.
public enum SweepEvent: Sendable, Equatable {
    /// A cell was already finished and is skipped.
    case skipped(SweepCell)
    /// A cell's process started; `resuming` when it continues from a checkpoint.
    case started(SweepCell, resuming: Bool)
    /// A cell finished successfully.
    case finished(SweepCell, seconds: Double)
    /// A cell failed; `message` is the last line of its standard error.
    case failed(SweepCell, exitStatus: Int32, message: String)
    /// A cell was stopped by an interrupt and can be resumed.
    case interrupted(SweepCell)
    /// The counts changed.
    case progress(SweepProgress)
    /// A file was written (results, charts, a Slurm script).
    case wrote(path: String)
    /// Free-form information, e.g. the Slurm job id.
    case note(String)
}
