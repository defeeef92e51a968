import CMixupKernels

/// Work splitting across the cores MixupKit is allowed to use (see ``ComputeThreads``).
///
/// Chunks run on the GEMM kernel's persistent thread pool (`mk_parallel_for`), so elementwise work, convolution
/// lowering and GEMMs share the same (spinning) workers. GEMMs called from inside a chunk run on that thread alone.
///
/// Exposed to the other engine modules (MixupNN's optimizers) as SPI, not as public API.
@_spi(MixupEngine) public enum Parallel {
    /// The number of chunks ``forEachChunk(_:costPerItem:_:)`` splits `count` items into: 1 when the total work
    /// (count × `costPerItem`) is too small to pay for the hand-off, else up to ``ComputeThreads/count``.
    ///
    /// Depends only on `count`, `costPerItem` and the thread count, so results are deterministic.
    @inline(__always)
    public static func chunkCount(_ count: Int, costPerItem: Int = 1) -> Int {
        let threads = ComputeThreads.count
        if threads <= 1 || count < 2 || count &* costPerItem < 1 << 16 { return 1 }
        return min(threads, count)
    }

    /// Calls `body(range)` over disjoint chunks covering `0..<count`, on up to ``ComputeThreads/count`` threads when
    /// the total work (count × `costPerItem`) is large enough to pay for the hand-off; otherwise inline.
    ///
    /// Chunk boundaries depend only on `count` and the thread count, so results are deterministic.
    @inline(__always)
    public static func forEachChunk(_ count: Int, costPerItem: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = chunkCount(count, costPerItem: costPerItem)
        if chunks <= 1 {
            body(0..<count)
            return
        }
        forEachChunk(count, chunks: chunks) { _, range in body(range) }
    }

    /// Calls `body(chunk, range)` for `chunk` in `0..<chunks`, where the ranges split `0..<count` into nearly equal
    /// consecutive pieces. Chunks may run concurrently; callers guarantee that `body` is safe to run so (disjoint
    /// writes, or per-chunk scratch indexed by `chunk`).
    public static func forEachChunk(_ count: Int, chunks: Int, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
        if chunks <= 1 {
            body(0, 0..<count)
            return
        }
        withoutActuallyEscaping(body) { escapable in
            var job = ChunkJob(body: escapable, count: count, chunks: chunks)
            withUnsafeMutablePointer(to: &job) { pointer in
                mk_parallel_for(
                    chunks,
                    { context, chunk in
                        let job = context!.assumingMemoryBound(to: ChunkJob.self)
                        let count = job.pointee.count, chunks = job.pointee.chunks, index = Int(chunk)
                        job.pointee.body(index, (count * index / chunks)..<(count * (index + 1) / chunks))
                    }, pointer)
            }
        }
    }

    private struct ChunkJob {
        let body: (Int, Range<Int>) -> Void
        let count: Int
        let chunks: Int
    }
}

/// The number of threads MixupKit's kernels use. Defaults to the number of online CPUs.
public enum ComputeThreads {
    /// The current thread count (at least 1).
    public static var count: Int { Int(mk_get_num_threads()) }

    /// Sets the thread count for all kernels (GEMM, convolution, elementwise work).
    ///
    /// - Precondition: `threads >= 1`.
    public static func set(_ threads: Int) {
        precondition(threads >= 1, "ComputeThreads.set: thread count must be at least 1, got \(threads)")
        mk_set_num_threads(Int32(threads))
    }

    /// The name of the GEMM micro-kernel chosen for this CPU ("avx2-fma", "neon", "portable", …).
    public static var kernelName: String { String(cString: mk_kernel_name()) }
}

/// Elementwise sum of two equally long arrays.
@inline(__always)
func addArrays(_ a: [Float], _ b: [Float]) -> [Float] {
    precondition(a.count == b.count, "addArrays: \(a.count) vs \(b.count) elements")
    var out = a
    out.withUnsafeMutableBufferPointer { o in
        b.withUnsafeBufferPointer { bb in
            for i in 0..<o.count { o[i] += bb[i] }
        }
    }
    return out
}

/// Adds `b` onto `a` elementwise, in place when `a`'s buffer is not shared (no copy of the accumulator).
@inline(__always)
func addArraysInPlace(_ a: inout [Float], _ b: [Float]) {
    precondition(a.count == b.count, "addArraysInPlace: \(a.count) vs \(b.count) elements")
    let total = a.count
    a.withUnsafeMutableBufferPointer { o in
        b.withUnsafeBufferPointer { bb in
            let op = o.baseAddress!, bp = bb.baseAddress!
            Parallel.forEachChunk(total, costPerItem: 1) { range in
                for i in range { op[i] += bp[i] }
            }
        }
    }
}
