import CMixupKernels
import Dispatch

/// Work splitting across the cores MixupKit is allowed to use (see ``ComputeThreads``).
enum Parallel {
    /// Calls `body(range)` over disjoint chunks covering `0..<count`, on up to ``ComputeThreads/count`` threads when
    /// the total work (count × `costPerItem`) is large enough to pay for the hand-off; otherwise inline.
    ///
    /// Chunk boundaries depend only on `count` and the thread count, so results are deterministic.
    @inline(__always)
    static func forEachChunk(_ count: Int, costPerItem: Int = 1, _ body: (Range<Int>) -> Void) {
        let threads = ComputeThreads.count
        if threads <= 1 || count < 2 || count &* costPerItem < 1 << 16 {
            body(0..<count)
            return
        }
        let chunks = min(threads, count)
        withoutActuallyEscaping(body) { escapable in
            // The chunks touch disjoint ranges; callers guarantee `body` is safe to run concurrently.
            let box = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count * chunk / chunks
                let end = count * (chunk + 1) / chunks
                box.value(start..<end)
            }
        }
    }
}

/// Carries a value into a `@Sendable` closure when the caller guarantees the concurrent use is safe.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
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
