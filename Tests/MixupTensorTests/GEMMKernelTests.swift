import CMixupKernels
import MixupTensor
import Testing
import _MixupTestSupport

/// Every micro-kernel this CPU can run (AVX-512, AVX2/FMA, NEON, portable), called by name, against a
/// double-precision reference — whatever kernel the process picked for itself.
@Suite(.serialized) struct GEMMKernelTests {
    static let kernels = ["avx512", "avx2-fma", "neon", "portable"]

    /// C = alpha · op(A) · op(B) + beta · C, in Double.
    static func reference(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: [Float], b: [Float], beta: Float,
        c: [Float]
    ) -> [Float] {
        var out = c
        for i in 0..<m {
            for j in 0..<n {
                var total = 0.0
                for p in 0..<k {
                    let x = transA ? a[p * m + i] : a[i * k + p]
                    let y = transB ? b[j * k + p] : b[p * n + j]
                    total += Double(x) * Double(y)
                }
                out[i * n + j] = Float(Double(alpha) * total + (beta == 0 ? 0 : Double(beta) * Double(c[i * n + j])))
            }
        }
        return out
    }

    /// Runs `compute` on 1 and on 2 threads: it must have run (`ran == 1`), each result must be within
    /// 1e-4·√depth of `expected`, and the two results must be bit-identical.
    static func expectMatchesOnOneAndTwoThreads(
        _ expected: [Float], depth k: Int, context: String, _ compute: () -> (ran: Int32, c: [Float])
    ) {
        let previous = ComputeThreads.count
        defer { ComputeThreads.set(previous) }
        var single: [Float] = []
        for threads in [1, 2] {
            ComputeThreads.set(threads)
            let (ran, c) = compute()
            let context = "\(context) threads \(threads)"
            #expect(ran == 1, "\(context)")
            let error = zip(c, expected).map { abs($0 - $1) }.max() ?? 0
            #expect(error <= 1e-4 * Float(k).squareRoot(), "\(context): max error \(error)")
            if threads == 1 {
                single = c
            } else {
                #expect(c == single, "the thread count changed bits: \(context)")
            }
        }
    }

    @Test func thePortableKernelIsAlwaysAvailableAndUnknownNamesAreNot() {
        #expect(mk_kernel_available("portable") == 1)
        #expect(mk_kernel_available("sse9") == 0)
        var c: [Float] = [7]
        let ran = mk_sgemm_named("sse9", 0, 0, 1, 1, 1, 1, [2], 1, [3], 1, 0, &c, 1)
        #expect(ran == 0 && c == [7], "an unavailable kernel computes nothing")
        #expect(Self.kernels.contains(ComputeThreads.kernelName))
        #expect(mk_kernel_available(ComputeThreads.kernelName) == 1)
    }

    /// Odd sizes (edge tiles on both axes), a depth above one K block, every transpose, beta 0 / 1 / 0.5, on one
    /// and on several threads.
    @Test(arguments: [(37, 45, 29), (100, 40, 300), (1, 200, 17), (64, 3, 513)])
    func everyAvailableKernelMatchesTheReference(m: Int, n: Int, k: Int) {
        var generator = SeededGenerator(seed: UInt64(m * 1000 + n))
        let a = Tensor.uniform([m * k], lower: -1, upper: 1, using: &generator).scalars
        let b = Tensor.uniform([k * n], lower: -1, upper: 1, using: &generator).scalars
        let c0 = Tensor.uniform([m * n], lower: -1, upper: 1, using: &generator).scalars
        let previous = ComputeThreads.count
        defer { ComputeThreads.set(previous) }
        let available = Self.kernels.filter { mk_kernel_available($0) == 1 }
        for (transA, transB) in [(false, false), (true, false), (false, true), (true, true)] {
            for (alpha, beta): (Float, Float) in [(1, 0), (1, 1), (0.75, 0.5)] {
                let expected = Self.reference(
                    transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c0)
                for kernel in available {
                    Self.expectMatchesOnOneAndTwoThreads(
                        expected, depth: k, context: "\(kernel) \(m)×\(n)×\(k) tA \(transA) tB \(transB) β \(beta)"
                    ) {
                        var c = c0
                        let ran = mk_sgemm_named(
                            kernel, transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, transA ? m : k, b,
                            transB ? k : n, beta, &c, n)
                        return (ran, c)
                    }
                }
            }
        }
    }
}
