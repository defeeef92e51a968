extension Tensor {
    /// The forward pass of batch normalisation on `[rows, width]` (one value per sample and channel) for the channels
    /// in `channels`: blocks of 16 channels (one cache line per row) are reduced over the rows in SIMD registers.
    ///
    /// Per channel it performs exactly the arithmetic of the general `[batch, channels, h, w]` path with one element
    /// per plane (the same Double accumulation in the same order, the same Float expressions), so both paths give
    /// bit-identical results.
    static func batchNormRowsForward(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, width: Int, channels: Range<Int>,
        epsilon: Float, relu: Bool, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
        mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>,
        inverseStd: UnsafeMutablePointer<Float>
    ) {
        var lo = channels.lowerBound
        let raw = UnsafeRawPointer(x), out = UnsafeMutableRawPointer(y)
        let count = Double(rows)
        while lo + 16 <= channels.upperBound {
            var sum = SIMD16<Double>()
            for s in 0..<rows {
                sum += SIMD16<Double>(raw.loadUnaligned(fromByteOffset: (s * width + lo) * 4, as: SIMD16<Float>.self))
            }
            let mu = SIMD16<Float>(sum / count)
            var squares = SIMD16<Double>()
            for s in 0..<rows {
                let d = raw.loadUnaligned(fromByteOffset: (s * width + lo) * 4, as: SIMD16<Float>.self) - mu
                squares += SIMD16<Double>(d * d)
            }
            let v = SIMD16<Float>(squares / count)
            let inv = 1 / (v + epsilon).squareRoot()
            let g = UnsafeRawPointer(gamma + lo).loadUnaligned(as: SIMD16<Float>.self)
            let b = UnsafeRawPointer(beta + lo).loadUnaligned(as: SIMD16<Float>.self)
            for s in 0..<rows {
                let offset = (s * width + lo) * 4
                var value = (raw.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self) - mu) * inv * g + b
                if relu { value.replace(with: 0, where: value .<= 0) }
                out.storeBytes(of: value, toByteOffset: offset, as: SIMD16<Float>.self)
            }
            UnsafeMutableRawPointer(mean + lo).storeBytes(of: mu, as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(variance + lo).storeBytes(of: v, as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(inverseStd + lo).storeBytes(of: inv, as: SIMD16<Float>.self)
            lo += 16
        }
        for ch in lo..<channels.upperBound {
            var sum: Double = 0
            for s in 0..<rows { sum += Double(x[s * width + ch]) }
            let mu = Float(sum / count)
            var squares: Double = 0
            for s in 0..<rows {
                let d = x[s * width + ch] - mu
                squares += Double(d * d)
            }
            let v = Float(squares / count)
            let inv = 1 / (v + epsilon).squareRoot()
            let g = gamma[ch], b = beta[ch]
            for s in 0..<rows {
                let value = (x[s * width + ch] - mu) * inv * g + b
                y[s * width + ch] = relu && value <= 0 ? 0 : value
            }
            mean[ch] = mu
            variance[ch] = v
            inverseStd[ch] = inv
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
        var lo = channels.lowerBound
        let rawG = UnsafeRawPointer(dy), rawX = UnsafeRawPointer(x), out = UnsafeMutableRawPointer(dx)
        let rawY = activated.map { UnsafeRawPointer($0) }
        let fm = Float(rows)
        mean.withUnsafeBufferPointer { meanBuffer in
            inverseStd.withUnsafeBufferPointer { invBuffer in
                let meanp = meanBuffer.baseAddress!, invp = invBuffer.baseAddress!
                while lo + 16 <= channels.upperBound {
                    let mu = UnsafeRawPointer(meanp + lo).loadUnaligned(as: SIMD16<Float>.self)
                    let inv = UnsafeRawPointer(invp + lo).loadUnaligned(as: SIMD16<Float>.self)
                    var sumG = SIMD16<Double>(), sumGX = SIMD16<Double>()
                    for s in 0..<rows {
                        let offset = (s * width + lo) * 4
                        var g = rawG.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                        if let rawY {
                            g.replace(
                                with: 0, where: rawY.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self) .<= 0
                            )
                        }
                        let xHat = (rawX.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self) - mu) * inv
                        sumG += SIMD16<Double>(g)
                        sumGX += SIMD16<Double>(g * xHat)
                    }
                    let sg = SIMD16<Float>(sumG), sgx = SIMD16<Float>(sumGX)
                    UnsafeMutableRawPointer(doffset + lo).storeBytes(of: sg, as: SIMD16<Float>.self)
                    UnsafeMutableRawPointer(dscale + lo).storeBytes(of: sgx, as: SIMD16<Float>.self)
                    let k = UnsafeRawPointer(gamma + lo).loadUnaligned(as: SIMD16<Float>.self) * inv / fm
                    for s in 0..<rows {
                        let offset = (s * width + lo) * 4
                        var g = rawG.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                        if let rawY {
                            g.replace(
                                with: 0, where: rawY.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self) .<= 0
                            )
                        }
                        let xHat = (rawX.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self) - mu) * inv
                        out.storeBytes(of: k * (fm * g - sg - xHat * sgx), toByteOffset: offset, as: SIMD16<Float>.self)
                    }
                    lo += 16
                }
                for ch in lo..<channels.upperBound {
                    let mu = meanp[ch], inv = invp[ch]
                    var sumG: Double = 0, sumGX: Double = 0
                    for s in 0..<rows {
                        let i = s * width + ch
                        let g: Float = activated.map { $0[i] <= 0 } ?? false ? 0 : dy[i]
                        sumG += Double(g)
                        sumGX += Double(g * ((x[i] - mu) * inv))
                    }
                    let sg = Float(sumG), sgx = Float(sumGX)
                    doffset[ch] = sg
                    dscale[ch] = sgx
                    let k = gamma[ch] * inv / fm
                    for s in 0..<rows {
                        let i = s * width + ch
                        let g: Float = activated.map { $0[i] <= 0 } ?? false ? 0 : dy[i]
                        dx[i] = k * (fm * g - sg - ((x[i] - mu) * inv) * sgx)
                    }
                }
            }
        }
    }
}
