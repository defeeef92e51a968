import CMixupKernels

/// How the process's memory allocator treats the tensors a training step frees.
///
/// Every step allocates its activations and gradients afresh and frees them when the step's graph goes away. With
/// glibc's defaults, blocks of 128 KiB or more (almost every activation) are separate `mmap`s returned to the kernel
/// when freed, so the next step pays first-touch page faults on every one of them again (≈ 9 % of a ResNet-20 step
/// under `perf`). ``retainFreedMemory()`` makes the allocator's free lists the tensor pool: freed blocks stay in the
/// process and are reused by size in the next step, so steady-state steps allocate without page faults and the
/// resident set stops growing after the first step (the benchmark `mixbench` reports `rss_growth_mb` over its timed
/// steps).
///
/// It is a process-wide allocator setting, so the library never changes it on its own: the `mixup` command-line tool
/// and `mixbench` call it at start-up; a program embedding MixupKit decides for itself.
public enum ComputeMemory {
    /// Blocks below this size come from the reusable heap rather than from a fresh `mmap` (32 MiB, glibc's maximum).
    public static let retainedBlockLimit = 32 << 20
    /// The heap top is returned to the kernel only when more than this much of it is free (1 GiB).
    public static let trimThreshold = 1 << 30

    /// Keeps freed tensor storage in the process for reuse (see the type's documentation).
    ///
    /// - Returns: `true` when the allocator accepted the settings (glibc); `false` where it has no such settings
    ///   (other C libraries), in which case nothing changes.
    @discardableResult
    public static func retainFreedMemory() -> Bool {
        mk_retain_freed_memory(retainedBlockLimit, trimThreshold) != 0
    }
}
