import Foundation

/// Numerically stable softmax and log-softmax along the last axis (the class axis of `[batch, classes]` logits).
extension Tensor {
    /// Calls `body(rowStart, log Σ exp(row))` for each row of `classes` values, computed as max + log Σ exp(x − max)
    /// so that no exponential overflows. Shared by softmax (exp(x − L)) and log-softmax (x − L).
    @inline(__always)
    static func forEachRowLogNormalizer(
        _ src: UnsafeBufferPointer<Float>, rows: Int, classes: Int, _ body: (_ rowStart: Int, _ logTotal: Float) -> Void
    ) {
        for r in 0..<rows {
            let base = r * classes
            var m = -Float.infinity
            for c in 0..<classes { m = Swift.max(m, src[base + c]) }
            var total: Float = 0
            for c in 0..<classes { total += Foundation.exp(src[base + c] - m) }
            body(base, m + Foundation.log(total))
        }
    }

    /// Softmax along the last axis: each row is shifted by its maximum before exponentiating, so no overflow.
    public func softmax() -> Tensor {
        precondition(rank >= 1, "softmax: scalar tensor")
        let classes = shape[rank - 1]
        let rows = classes == 0 ? 0 : count / classes
        var out = [Float](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                Self.forEachRowLogNormalizer(src, rows: rows, classes: classes) { base, logTotal in
                    for c in 0..<classes { dst[base + c] = Foundation.exp(src[base + c] - logTotal) }
                }
            }
        }
        guard Tensor.needsRecord(self) else { return Tensor(shape: shape, scalars: out) }
        let y = Tensor(shape: shape, scalars: out)
        return Tensor.recording(
            shape, out,
            [
                (
                    self,
                    { g in
                        // dx = y ⊙ (g − Σ g⊙y)
                        var dx = [Float](repeating: 0, count: g.count)
                        for r in 0..<rows {
                            let base = r * classes
                            var dot: Float = 0
                            for c in 0..<classes { dot += g.scalars[base + c] * y.scalars[base + c] }
                            for c in 0..<classes { dx[base + c] = y.scalars[base + c] * (g.scalars[base + c] - dot) }
                        }
                        return Tensor(shape: g.shape, scalars: dx)
                    }
                )
            ])
    }

    /// Log-softmax along the last axis, computed as x − max − log Σ exp(x − max).
    public func logSoftmax() -> Tensor {
        precondition(rank >= 1, "logSoftmax: scalar tensor")
        let classes = shape[rank - 1]
        let rows = classes == 0 ? 0 : count / classes
        var out = [Float](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                Self.forEachRowLogNormalizer(src, rows: rows, classes: classes) { base, logTotal in
                    for c in 0..<classes { dst[base + c] = src[base + c] - logTotal }
                }
            }
        }
        guard Tensor.needsRecord(self) else { return Tensor(shape: shape, scalars: out) }
        let y = Tensor(shape: shape, scalars: out)
        return Tensor.recording(
            shape, out,
            [
                (
                    self,
                    { g in
                        // dx = g − softmax · Σ g
                        var dx = [Float](repeating: 0, count: g.count)
                        for r in 0..<rows {
                            let base = r * classes
                            var total: Float = 0
                            for c in 0..<classes { total += g.scalars[base + c] }
                            for c in 0..<classes {
                                dx[base + c] = g.scalars[base + c] - Foundation.exp(y.scalars[base + c]) * total
                            }
                        }
                        return Tensor(shape: g.shape, scalars: dx)
                    }
                )
            ])
    }
}
