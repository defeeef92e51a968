import Foundation

/// Numerically stable softmax and log-softmax along the last axis (the class axis of `[batch, classes]` logits).
extension Tensor {
    /// Softmax along the last axis: each row is shifted by its maximum before exponentiating, so no overflow.
    public func softmax() -> Tensor {
        precondition(rank >= 1, "softmax: scalar tensor")
        let classes = shape[rank - 1]
        let rows = classes == 0 ? 0 : count / classes
        var out = [Float](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for r in 0..<rows {
                    let base = r * classes
                    var m = -Float.infinity
                    for c in 0..<classes { m = Swift.max(m, src[base + c]) }
                    var total: Float = 0
                    for c in 0..<classes {
                        let e = Foundation.exp(src[base + c] - m)
                        dst[base + c] = e
                        total += e
                    }
                    let inverse = 1 / total
                    for c in 0..<classes { dst[base + c] *= inverse }
                }
            }
        }
        guard Tensor.needsRecord(self) else { return Tensor(shape: shape, scalars: out) }
        let y = Tensor(shape: shape, scalars: out)
        return Tensor.recording(
            shape, out,
            [(self, { g in
                // dx = y ⊙ (g − Σ g⊙y)
                var dx = [Float](repeating: 0, count: g.count)
                for r in 0..<rows {
                    let base = r * classes
                    var dot: Float = 0
                    for c in 0..<classes { dot += g.scalars[base + c] * y.scalars[base + c] }
                    for c in 0..<classes { dx[base + c] = y.scalars[base + c] * (g.scalars[base + c] - dot) }
                }
                return Tensor(shape: g.shape, scalars: dx)
            })])
    }

    /// Log-softmax along the last axis, computed as x − max − log Σ exp(x − max).
    public func logSoftmax() -> Tensor {
        precondition(rank >= 1, "logSoftmax: scalar tensor")
        let classes = shape[rank - 1]
        let rows = classes == 0 ? 0 : count / classes
        var out = [Float](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for r in 0..<rows {
                    let base = r * classes
                    var m = -Float.infinity
                    for c in 0..<classes { m = Swift.max(m, src[base + c]) }
                    var total: Float = 0
                    for c in 0..<classes { total += Foundation.exp(src[base + c] - m) }
                    let logTotal = m + Foundation.log(total)
                    for c in 0..<classes { dst[base + c] = src[base + c] - logTotal }
                }
            }
        }
        guard Tensor.needsRecord(self) else { return Tensor(shape: shape, scalars: out) }
        let y = Tensor(shape: shape, scalars: out)
        return Tensor.recording(
            shape, out,
            [(self, { g in
                // dx = g − softmax · Σ g
                var dx = [Float](repeating: 0, count: g.count)
                for r in 0..<rows {
                    let base = r * classes
                    var total: Float = 0
                    for c in 0..<classes { total += g.scalars[base + c] }
                    for c in 0..<classes { dx[base + c] = g.scalars[base + c] - Foundation.exp(y.scalars[base + c]) * total }
                }
                return Tensor(shape: g.shape, scalars: dx)
            })])
    }
}
