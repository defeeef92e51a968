extension Tensor {
    /// Per-channel standardisation for batch normalisation (Ioffe & Szegedy 2015), fused with its backward pass.
    ///
    /// The input is `[batch, channels]` or `[batch, channels, height, width]`; statistics are taken per channel over
    /// every other axis, with the biased variance.
    /// - Returns: the normalised tensor (same shape), and the batch mean and biased variance per channel (constants).
    public func batchStandardized(epsilon: Float = 1e-5) -> (normalized: Tensor, mean: [Float], variance: [Float]) {
        precondition(rank == 2 || rank == 4, "batchStandardized: expected [batch, channels(, h, w)], got \(shape)")
        let n = shape[0], c = shape[1]
        let spatial = rank == 4 ? shape[2] * shape[3] : 1
        let m = n * spatial
        precondition(m > 0, "batchStandardized: no elements per channel in \(shape)")
        var mean = [Float](repeating: 0, count: c)
        var variance = [Float](repeating: 0, count: c)
        var out = [Float](repeating: 0, count: count)
        var inverseStd = [Float](repeating: 0, count: c)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                for ch in 0..<c {
                    var total: Double = 0
                    for s in 0..<n {
                        let base = (s * c + ch) * spatial
                        var partial: Float = 0
                        for i in 0..<spatial { partial += x[base + i] }
                        total += Double(partial)
                    }
                    let mu = Float(total / Double(m))
                    var squares: Double = 0
                    for s in 0..<n {
                        let base = (s * c + ch) * spatial
                        var partial: Float = 0
                        for i in 0..<spatial {
                            let d = x[base + i] - mu
                            partial += d * d
                        }
                        squares += Double(partial)
                    }
                    let v = Float(squares / Double(m))
                    let inv = 1 / (v + epsilon).squareRoot()
                    mean[ch] = mu
                    variance[ch] = v
                    inverseStd[ch] = inv
                    for s in 0..<n {
                        let base = (s * c + ch) * spatial
                        for i in 0..<spatial { y[base + i] = (x[base + i] - mu) * inv }
                    }
                }
            }
        }
        guard Tensor.needsRecord(self) else { return (Tensor(shape: shape, scalars: out), mean, variance) }
        let xHat = Tensor(shape: shape, scalars: out)
        let inputShape = shape
        let result = Tensor.recording(
            shape, out,
            [(self, { g in
                // dx = inv/m · (m·g − Σg − x̂·Σ(g·x̂)), per channel.
                var dx = [Float](repeating: 0, count: g.count)
                g.scalars.withUnsafeBufferPointer { dy in
                    xHat.scalars.withUnsafeBufferPointer { xh in
                        for ch in 0..<c {
                            var sumG: Float = 0
                            var sumGX: Float = 0
                            for s in 0..<n {
                                let base = (s * c + ch) * spatial
                                for i in 0..<spatial {
                                    sumG += dy[base + i]
                                    sumGX += dy[base + i] * xh[base + i]
                                }
                            }
                            let scale = inverseStd[ch] / Float(m)
                            for s in 0..<n {
                                let base = (s * c + ch) * spatial
                                for i in 0..<spatial {
                                    dx[base + i] = scale * (Float(m) * dy[base + i] - sumG - xh[base + i] * sumGX)
                                }
                            }
                        }
                    }
                }
                return Tensor(shape: inputShape, scalars: dx)
            })])
        return (result, mean, variance)
    }
}
