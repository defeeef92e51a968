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
            [
                (
                    self,
                    { g in
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
                                            dx[base + i] =
                                                scale * (Float(m) * dy[base + i] - sumG - xh[base + i] * sumGX)
                                        }
                                    }
                                }
                            }
                        }
                        return Tensor(shape: inputShape, scalars: dx)
                    }
                )
            ])
        return (result, mean, variance)
    }
}

extension Tensor {
    /// Batch normalisation in training mode, fused: `y = x̂ · scale + offset` with `x̂` the per-channel standardised
    /// input (as ``batchStandardized(epsilon:)``), in one forward pass and one backward pass.
    ///
    /// Equivalent to `batchStandardized(epsilon:).normalized * scale.reshaped(to: [1, C, 1, 1]) + offset.reshaped(…)`
    /// (the same forward arithmetic), but without the broadcasting temporaries. Channels are processed in parallel.
    /// - Parameters:
    ///   - scale: γ, `[channels]`. `offset`: β, `[channels]`. Both may be tracked.
    /// - Returns: the output, and the batch mean and biased variance per channel (constants).
    public func batchNormalized(
        scale: Tensor, offset: Tensor, epsilon: Float = 1e-5
    ) -> (output: Tensor, mean: [Float], variance: [Float]) {
        batchNormalized(scale: scale, offset: offset, epsilon: epsilon, relu: false)
    }

    /// Batch normalisation in training mode followed by ReLU, fused: `max(x̂ · scale + offset, 0)` in one forward pass
    /// and one backward pass (the ReLU mask is applied to the incoming gradient inside the normalisation's backward).
    ///
    /// Equal, up to float rounding, to `batchNormalized(scale:offset:epsilon:).output.relu()`, without the intermediate
    /// tensor and its gradient. NaN propagates as in ``relu()``.
    /// - Parameters:
    ///   - scale: γ, `[channels]`. `offset`: β, `[channels]`. Both may be tracked.
    /// - Returns: the output, and the batch mean and biased variance per channel (constants).
    public func batchNormalizedReLU(
        scale: Tensor, offset: Tensor, epsilon: Float = 1e-5
    ) -> (output: Tensor, mean: [Float], variance: [Float]) {
        batchNormalized(scale: scale, offset: offset, epsilon: epsilon, relu: true)
    }

    private func batchNormalized(
        scale: Tensor, offset: Tensor, epsilon: Float, relu: Bool
    ) -> (output: Tensor, mean: [Float], variance: [Float]) {
        precondition(rank == 2 || rank == 4, "batchNormalized: expected [batch, channels(, h, w)], got \(shape)")
        let n = shape[0], c = shape[1]
        precondition(
            scale.shape == [c] && offset.shape == [c],
            "batchNormalized: scale \(scale.shape) and offset \(offset.shape) must be [\(c)] for input \(shape)")
        let spatial = rank == 4 ? shape[2] * shape[3] : 1
        let m = n * spatial
        precondition(m > 0, "batchNormalized: no elements per channel in \(shape)")
        var mean = [Float](repeating: 0, count: c)
        var variance = [Float](repeating: 0, count: c)
        var inverseStd = [Float](repeating: 0, count: c)
        var out = [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        let total = count
        scalars.withUnsafeBufferPointer { xb in
            out.withUnsafeMutableBufferPointer { yb in
                scale.scalars.withUnsafeBufferPointer { gb in
                    offset.scalars.withUnsafeBufferPointer { bb in
                        mean.withUnsafeMutableBufferPointer { meanb in
                            variance.withUnsafeMutableBufferPointer { varb in
                                inverseStd.withUnsafeMutableBufferPointer { invb in
                                    let x = xb.baseAddress!, y = yb.baseAddress!
                                    let gamma = gb.baseAddress!, beta = bb.baseAddress!
                                    let meanp = meanb.baseAddress!, varp = varb.baseAddress!, invp = invb.baseAddress!
                                    Parallel.forEachChunk(c, costPerItem: 3 * total / Swift.max(c, 1)) { channels in
                                        if spatial == 1 {
                                            Tensor.batchNormRowsForward(
                                                x, y, rows: n, width: c, channels: channels, epsilon: epsilon,
                                                relu: relu, gamma: gamma, beta: beta, mean: meanp, variance: varp,
                                                inverseStd: invp)
                                            return
                                        }
                                        for ch in channels {
                                            var sum: Double = 0
                                            for s in 0..<n {
                                                sum += Double(VectorKernels.sum(x + (s * c + ch) * spatial, spatial))
                                            }
                                            let mu = Float(sum / Double(m))
                                            var squares: Double = 0
                                            for s in 0..<n {
                                                squares += Double(
                                                    VectorKernels.sumOfSquaredDeviations(
                                                        x + (s * c + ch) * spatial, spatial, mean: mu))
                                            }
                                            let v = Float(squares / Double(m))
                                            let inv = 1 / (v + epsilon).squareRoot()
                                            meanp[ch] = mu
                                            varp[ch] = v
                                            invp[ch] = inv
                                            let g = gamma[ch], b = beta[ch]
                                            for s in 0..<n {
                                                let row = x + (s * c + ch) * spatial
                                                let dst = y + (s * c + ch) * spatial
                                                if relu {
                                                    for i in 0..<spatial {
                                                        let v = (row[i] - mu) * inv * g + b
                                                        dst[i] = v <= 0 ? 0 : v
                                                    }
                                                } else {
                                                    for i in 0..<spatial { dst[i] = (row[i] - mu) * inv * g + b }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        guard Tensor.needsRecord(self, scale, offset) else {
            return (Tensor(shape: shape, scalars: out), mean, variance)
        }
        let cx = detached(), cscale = scale.detached()
        // With the fused ReLU the output decides the mask (y > 0 exactly where the pre-activation is > 0); it shares
        // the output's storage, so keeping it costs no memory.
        let activated = relu ? out : []
        let inputShape = shape
        // One backward pass computes all three gradients; the three pullbacks share it through this cache (the
        // input's pullback runs first or last depending on the graph order, so whichever comes first fills it).
        let cache = BatchNormBackwardCache()
        let trackedCount = [self, scale, offset].filter { $0.node != nil }.count
        let compute: (Tensor) -> BatchNormBackwardCache.Result = { g in
            if let result = cache.result, result.gradient == g.scalars { return result }
            var dx = [Float](unsafeUninitializedCapacity: total) { _, initialized in initialized = total }
            var dscale = [Float](repeating: 0, count: c)
            var doffset = [Float](repeating: 0, count: c)
            g.scalars.withUnsafeBufferPointer { gb in
                cx.scalars.withUnsafeBufferPointer { xb in
                    cscale.scalars.withUnsafeBufferPointer { sb in
                        dx.withUnsafeMutableBufferPointer { dxb in
                            dscale.withUnsafeMutableBufferPointer { dsb in
                                doffset.withUnsafeMutableBufferPointer { dob in
                                    activated.withUnsafeBufferPointer { yb in
                                        let dy = gb.baseAddress!, x = xb.baseAddress!, gamma = sb.baseAddress!
                                        let dxp = dxb.baseAddress!, dsp = dsb.baseAddress!, dop = dob.baseAddress!
                                        Parallel.forEachChunk(c, costPerItem: 3 * total / Swift.max(c, 1)) { channels in
                                            if spatial == 1 {
                                                Tensor.batchNormRowsBackward(
                                                    dy, x, activated: relu ? yb.baseAddress : nil, into: dxp, rows: n,
                                                    width: c, channels: channels, gamma: gamma, mean: mean,
                                                    inverseStd: inverseStd, dscale: dsp, doffset: dop)
                                                return
                                            }
                                            // The ReLU's masked gradient, one plane at a time (per chunk scratch).
                                            let masked =
                                                relu ? UnsafeMutablePointer<Float>.allocate(capacity: spatial) : nil
                                            defer { masked?.deallocate() }
                                            for ch in channels {
                                                let mu = mean[ch], inv = inverseStd[ch]
                                                // Σg and Σg·x̂ (x̂ recomputed from x).
                                                var sumG: Double = 0
                                                var sumGX: Double = 0
                                                for s in 0..<n {
                                                    let offset = (s * c + ch) * spatial
                                                    var grad = UnsafePointer(dy + offset)
                                                    if let masked, let y = yb.baseAddress {
                                                        VectorKernels.maskByPositive(
                                                            grad, y + offset, spatial, into: masked)
                                                        grad = UnsafePointer(masked)
                                                    }
                                                    let (pg, pgx) = VectorKernels.sumAndCenteredDot(
                                                        grad, x + offset, spatial, mean: mu, scale: inv)
                                                    sumG += Double(pg)
                                                    sumGX += Double(pgx)
                                                }
                                                dop[ch] = Float(sumG)
                                                dsp[ch] = Float(sumGX)
                                                // dx = γ·inv/m · (m·g − Σg − x̂·Σ(g·x̂)).
                                                let k = gamma[ch] * inv / Float(m)
                                                let fm = Float(m), sg = Float(sumG), sgx = Float(sumGX)
                                                for s in 0..<n {
                                                    let plane = (s * c + ch) * spatial
                                                    VectorKernels.batchNormInputGradient(
                                                        dy + plane, x + plane,
                                                        activated: relu ? yb.baseAddress.map { $0 + plane } : nil,
                                                        spatial, into: dxp + plane, k: k, m: fm, sumG: sg,
                                                        sumGX: sgx, mean: mu, inverseStd: inv)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            let result = BatchNormBackwardCache.Result(
                gradient: g.scalars, dx: Tensor(shape: inputShape, scalars: dx),
                dscale: Tensor(shape: [c], scalars: dscale), doffset: Tensor(shape: [c], scalars: doffset))
            cache.result = result
            cache.remaining = trackedCount
            return result
        }
        let output = Tensor.recording(
            shape, out,
            [
                (
                    self,
                    { g in
                        defer { cache.consume() }; return compute(g).dx
                    }
                ),
                (
                    scale,
                    { g in
                        defer { cache.consume() }; return compute(g).dscale
                    }
                ),
                (
                    offset,
                    { g in
                        defer { cache.consume() }; return compute(g).doffset
                    }
                ),
            ])
        return (output, mean, variance)
    }

    /// `x · scale[c] + shift[c]` per channel of a `[batch, channels(, h, w)]` tensor (constant scale and shift), e.g.
    /// batch normalisation with running statistics folded in. Differentiable in the input only.
    public func channelAffine(scale: [Float], shift: [Float]) -> Tensor {
        channelAffine(scale: scale, shift: shift, relu: false)
    }

    /// `max(x · scale[c] + shift[c], 0)` per channel in one pass: ``channelAffine(scale:shift:)`` followed by ReLU,
    /// e.g. inference-mode batch normalisation + ReLU. Differentiable in the input only.
    public func channelAffineReLU(scale: [Float], shift: [Float]) -> Tensor {
        channelAffine(scale: scale, shift: shift, relu: true)
    }

    private func channelAffine(scale: [Float], shift: [Float], relu: Bool) -> Tensor {
        precondition(rank == 2 || rank == 4, "channelAffine: expected [batch, channels(, h, w)], got \(shape)")
        let n = shape[0], c = shape[1]
        precondition(
            scale.count == c && shift.count == c,
            "channelAffine: \(scale.count)/\(shift.count) values for \(c) channels")
        let spatial = rank == 4 ? shape[2] * shape[3] : 1
        let total = count
        var out = [Float](unsafeUninitializedCapacity: total) { _, initialized in initialized = total }
        scalars.withUnsafeBufferPointer { xb in
            out.withUnsafeMutableBufferPointer { yb in
                let x = xb.baseAddress!, y = yb.baseAddress!
                Parallel.forEachChunk(n * c, costPerItem: spatial) { planes in
                    for plane in planes {
                        let a = scale[plane % c], b = shift[plane % c]
                        let src = x + plane * spatial, dst = y + plane * spatial
                        if relu {
                            for i in 0..<spatial {
                                let v = src[i] * a + b
                                dst[i] = v <= 0 ? 0 : v
                            }
                        } else {
                            for i in 0..<spatial { dst[i] = src[i] * a + b }
                        }
                    }
                }
            }
        }
        guard Tensor.needsRecord(self) else { return Tensor(shape: shape, scalars: out) }
        if relu {
            // d/dx max(a·x + b, 0) = a where the output is positive, else 0.
            let output = Tensor(shape: shape, scalars: out)
            return Tensor.recording(
                shape, out,
                [
                    (
                        self,
                        { g in
                            let zero = [Float](repeating: 0, count: c)
                            return g.channelAffine(scale: scale, shift: zero).maskedByPositive(output)
                        }
                    )
                ])
        }
        return Tensor.recording(
            shape, out, [(self, { $0.channelAffine(scale: scale, shift: [Float](repeating: 0, count: c)) })])
    }
}

extension Tensor {
    /// 0 where `mask ≤ 0`, else `self` (a constant result: used inside pullbacks; NaN in `mask` passes `self`).
    fileprivate func maskedByPositive(_ mask: Tensor) -> Tensor {
        var out = [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        scalars.withUnsafeBufferPointer { gb in
            mask.scalars.withUnsafeBufferPointer { yb in
                out.withUnsafeMutableBufferPointer { ob in
                    VectorKernels.maskByPositive(gb.baseAddress!, yb.baseAddress!, ob.count, into: ob.baseAddress!)
                }
            }
        }
        return Tensor(shape: shape, scalars: out)
    }
}

/// Shares the single fused backward computation of ``Tensor/batchNormalized(scale:offset:epsilon:)`` between the
/// pullbacks of its three inputs; released once every tracked input has taken its part, so it does not keep the
/// input gradient alive for the rest of the backward pass.
final class BatchNormBackwardCache {
    struct Result {
        let gradient: [Float]
        let dx, dscale, doffset: Tensor
    }
    var result: Result?
    var remaining = 0

    func consume() {
        remaining -= 1
        if remaining <= 0 { result = nil }
    }
}
