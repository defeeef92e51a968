import CMixupKernels

/// Matrix products through the package's GEMM kernel.
extension Tensor {
    /// The matrix product of `a` and `b`, optionally transposing either operand first.
    ///
    /// Shapes: `[m, k] × [k, n] → [m, n]`, or batched `[batch, m, k] × [batch, k, n] → [batch, m, n]`
    /// (with a rank-2 `b` shared across the batch). Transposes apply to the last two axes.
    /// - Precondition: the inner dimensions agree; the message shows both shapes.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(
            (a.rank == 2 || a.rank == 3) && (b.rank == 2 || b.rank == 3) && !(a.rank == 2 && b.rank == 3),
            "matmul: unsupported ranks \(a.shape) × \(b.shape) (use [m,k]×[k,n] or [batch,m,k]×[batch or none,k,n])")
        let batch = a.rank == 3 ? a.shape[0] : 1
        if a.rank == 3 && b.rank == 3 {
            precondition(b.shape[0] == batch, "matmul: batch sizes differ: \(a.shape) × \(b.shape)")
        }
        let ar = a.shape[a.rank - 2], ac = a.shape[a.rank - 1]
        let br = b.shape[b.rank - 2], bc = b.shape[b.rank - 1]
        let (m, k) = transposeA ? (ac, ar) : (ar, ac)
        let (k2, n) = transposeB ? (bc, br) : (br, bc)
        precondition(
            k == k2,
            "matmul: inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") × \(b.shape)\(transposeB ? "ᵀ" : "") (\(k) vs \(k2))"
        )
        var out = [Float](repeating: 0, count: batch * m * n)
        let bBatchStride = b.rank == 3 ? br * bc : 0
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { pc in
                    for i in 0..<batch {
                        mk_sgemm(
                            transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, 1,
                            pa.baseAddress.map { $0 + i * ar * ac }, ac,
                            pb.baseAddress.map { $0 + i * bBatchStride }, bc, 0,
                            pc.baseAddress.map { $0 + i * m * n }, n)
                    }
                }
            }
        }
        let outShape = a.rank == 3 ? [batch, m, n] : [m, n]
        guard needsRecord(a, b) else { return Tensor(shape: outShape, scalars: out) }
        let ca = a.detached(), cb = b.detached()
        return recording(
            outShape, out,
            [
                (
                    a,
                    { g in
                        // d(op(A)) = G · op(B)ᵀ; if A was transposed, dA = (G · op(B)ᵀ)ᵀ = op(B) · Gᵀ.
                        if !transposeA { return matmul(g, cb, transposeA: false, transposeB: !transposeB) }
                        // A batched G with a shared rank-2 B cannot be the right operand: transpose G · op(B)ᵀ instead.
                        if g.rank == 3 && cb.rank == 2 {
                            return matmul(g, cb, transposeA: false, transposeB: !transposeB).transposed()
                        }
                        return matmul(cb, g, transposeA: transposeB, transposeB: true)
                    }
                ),
                (
                    b,
                    { g in
                        // d(op(B)) = op(A)ᵀ · G; if B was transposed, dB = Gᵀ · op(A).
                        let full: Tensor =
                            transposeB
                            ? matmul(g, ca, transposeA: true, transposeB: transposeA)
                            : matmul(ca, g, transposeA: !transposeA, transposeB: false)
                        // A rank-2 B shared across a batch receives the sum over the batch.
                        return cb.rank == 2 && full.rank == 3 ? full.sum(alongAxes: [0]) : full
                    }
                ),
            ])
    }
}
