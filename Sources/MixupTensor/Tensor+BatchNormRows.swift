extension Tensor {
    /// The forward pass of batch normalisation on `[rows, width]` (one value per sample and channel) for the channels
    /// in `channels`, walking the rows in memory order so every load is contiguous.
    ///
    /// Per channel it performs exactly the arithmetic of the general `[batch, channels, h, w]` path with one element
    /// per plane (the same Double accumulation in the same order), so both paths give bit-identical results.
    static func batchNormRowsForward(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, width: Int, channels: Range<Int>,
        epsilon: Float, relu: Bool, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
        mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>,
        inverseStd: UnsafeMutablePointer<Float>
    ) {
        let lo = channels.lowerBound, count = channels.count
        guard count > 0 else { return }
        let accumulator = UnsafeMutablePointer<Double>.allocate(capacity: count)
        defer { accumulator.deallocate() }
        accumulator.initialize(repeating: 0, count: count)
        for s in 0..<rows {
            let row = x + s * width + lo
            for j in 0..<count { accumulator[j] += Double(row[j]) }
        }
        for j in 0..<count {
            mean[lo + j] = Float(accumulator[j] / Double(rows))
            accumulator[j] = 0
        }
        let mu = UnsafePointer(mean + lo)
        for s in 0..<rows {
            let row = x + s * width + lo
            for j in 0..<count {
                let d = row[j] - mu[j]
                accumulator[j] += Double(d * d)
            }
        }
        for j in 0..<count {
            let v = Float(accumulator[j] / Double(rows))
            variance[lo + j] = v
            inverseStd[lo + j] = 1 / (v + epsilon).squareRoot()
        }
        let inv = UnsafePointer(inverseStd + lo), g = gamma + lo, b = beta + lo
        for s in 0..<rows {
            let row = x + s * width + lo
            let dst = y + s * width + lo
            if relu {
                for j in 0..<count {
                    let v = (row[j] - mu[j]) * inv[j] * g[j] + b[j]
                    dst[j] = v <= 0 ? 0 : v
                }
            } else {
                for j in 0..<count { dst[j] = (row[j] - mu[j]) * inv[j] * g[j] + b[j] }
            }
        }
    }

    /// The backward pass matching ``batchNormRowsForward(_:_:rows:width:channels:epsilon:relu:gamma:beta:mean:variance:inverseStd:)``:
    /// writes dx for the channels in `channels` and their dγ (Σg·x̂) and dβ (Σg), with the fused ReLU's mask taken
    /// from `activated` (the forward output) when it is given. Bit-identical to the general path's arithmetic.
    static func batchNormRowsBackward(
        _ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, activated: UnsafePointer<Float>?,
        into dx: UnsafeMutablePointer<Float>, rows: Int, width: Int, channels: Range<Int>,
        gamma: UnsafePointer<Float>, mean: [Float], inverseStd: [Float],
        dscale: UnsafeMutablePointer<Float>, doffset: UnsafeMutablePointer<Float>
    ) {
        let lo = channels.lowerBound, count = channels.count
        guard count > 0 else { return }
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: 2 * count)
        defer { sums.deallocate() }
        sums.initialize(repeating: 0, count: 2 * count)
        let sumG = sums, sumGX = sums + count
        let mu = UnsafeMutablePointer<Float>.allocate(capacity: 2 * count)
        defer { mu.deallocate() }
        let inv = mu + count
        for j in 0..<count {
            mu[j] = mean[lo + j]
            inv[j] = inverseStd[lo + j]
        }
        for s in 0..<rows {
            let offset = s * width + lo
            let grad = dy + offset, row = x + offset
            if let activated {
                let out = activated + offset
                for j in 0..<count {
                    let gi: Float = out[j] <= 0 ? 0 : grad[j]
                    sumG[j] += Double(gi)
                    sumGX[j] += Double(gi * ((row[j] - mu[j]) * inv[j]))
                }
            } else {
                for j in 0..<count {
                    sumG[j] += Double(grad[j])
                    sumGX[j] += Double(grad[j] * ((row[j] - mu[j]) * inv[j]))
                }
            }
        }
        let fm = Float(rows)
        let k = UnsafeMutablePointer<Float>.allocate(capacity: 3 * count)
        defer { k.deallocate() }
        let sg = k + count, sgx = k + 2 * count
        for j in 0..<count {
            doffset[lo + j] = Float(sumG[j])
            dscale[lo + j] = Float(sumGX[j])
            k[j] = gamma[lo + j] * inv[j] / fm
            sg[j] = Float(sumG[j])
            sgx[j] = Float(sumGX[j])
        }
        for s in 0..<rows {
            let offset = s * width + lo
            let grad = dy + offset, row = x + offset, dst = dx + offset
            if let activated {
                let out = activated + offset
                for j in 0..<count {
                    let gi: Float = out[j] <= 0 ? 0 : grad[j]
                    dst[j] = k[j] * (fm * gi - sg[j] - ((row[j] - mu[j]) * inv[j]) * sgx[j])
                }
            } else {
                for j in 0..<count {
                    dst[j] = k[j] * (fm * grad[j] - sg[j] - ((row[j] - mu[j]) * inv[j]) * sgx[j])
                }
            }
        }
    }
}
