extension Tensor {
    /// Max pooling over `[batch, channels, height, width]` with a square window.
    ///
    /// Gradients flow to the first maximal element of each window. Padding cells count as −∞. A window containing NaN
    /// gives NaN (as PyTorch), and its gradient flows to the last NaN.
    public func maxPool2d(kernelSize: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
        pool(kernelSize: kernelSize, stride: stride ?? kernelSize, padding: padding, isMax: true)
    }

    /// Average pooling over `[batch, channels, height, width]` with a square window (padding cells count as zeros and
    /// are included in the divisor, as PyTorch's default).
    public func avgPool2d(kernelSize: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
        pool(kernelSize: kernelSize, stride: stride ?? kernelSize, padding: padding, isMax: false)
    }

    /// Mean over the spatial axes: `[batch, channels, height, width]` → `[batch, channels]`.
    public func globalAveragePooled() -> Tensor {
        precondition(rank == 4, "globalAveragePooled: expected [batch, channels, height, width], got \(shape)")
        return mean(alongAxes: [2, 3])
    }

    private func pool(kernelSize k: Int, stride s: Int, padding p: Int, isMax: Bool) -> Tensor {
        let name = isMax ? "maxPool2d" : "avgPool2d"
        precondition(rank == 4, "\(name): expected [batch, channels, height, width], got \(shape)")
        precondition(
            k >= 1 && s >= 1 && p >= 0 && p <= k / 2, "\(name): kernel \(k), stride \(s), padding \(p) are invalid")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1
        precondition(
            h + 2 * p >= k && w + 2 * p >= k && oh > 0 && ow > 0, "\(name): window \(k) does not fit input \(h)×\(w)")
        let planes = n * c
        let outCount = planes * oh * ow
        var out = [Float](unsafeUninitializedCapacity: outCount) { _, initialized in initialized = outCount }
        var winners =
            isMax ? [Int32](unsafeUninitializedCapacity: outCount) { _, initialized in initialized = outCount } : []
        let inverseArea = 1 / Float(k * k)
        // Planes are independent: split them across threads.
        scalars.withUnsafeBufferPointer { srcb in
            out.withUnsafeMutableBufferPointer { outb in
                winners.withUnsafeMutableBufferPointer { winb in
                    let src = srcb.baseAddress!, dst = outb.baseAddress!, win = winb.baseAddress
                    Parallel.forEachChunk(planes, costPerItem: h * w) { range in
                        for plane in range {
                            let base = plane * h * w
                            let planeSrc = src + base
                            if isMax && k == 2 && s == 2 && p == 0 {
                                // The common 2×2/2 window: no bounds checks.
                                let win = win!
                                for oy in 0..<oh {
                                    let r0 = planeSrc + 2 * oy * w, r1 = r0 + w
                                    let o = (plane * oh + oy) * ow
                                    // 8 windows at a time, the same comparisons as the scalar loop below.
                                    let vectorEnd = Tensor.maxPool2x2Row(
                                        r0, r1, width: w, outputs: ow, rowIndex: 2 * oy * w, into: dst + o,
                                        winners: win + o)
                                    for ox in vectorEnd..<ow {
                                        let x0 = 2 * ox
                                        var best = r0[x0]
                                        var bestIndex = 2 * oy * w + x0
                                        if r0[x0 + 1] > best || r0[x0 + 1].isNaN {
                                            best = r0[x0 + 1]; bestIndex = 2 * oy * w + x0 + 1
                                        }
                                        if r1[x0] > best || r1[x0].isNaN {
                                            best = r1[x0]; bestIndex = (2 * oy + 1) * w + x0
                                        }
                                        if r1[x0 + 1] > best || r1[x0 + 1].isNaN {
                                            best = r1[x0 + 1]; bestIndex = (2 * oy + 1) * w + x0 + 1
                                        }
                                        dst[o + ox] = best
                                        win[o + ox] = Int32(bestIndex)
                                    }
                                }
                                continue
                            }
                            for oy in 0..<oh {
                                for ox in 0..<ow {
                                    var best = -Float.infinity
                                    var bestIndex: Int32 = -1
                                    var total: Float = 0
                                    for ky in 0..<k {
                                        let y = oy * s - p + ky
                                        if y < 0 || y >= h { continue }
                                        for kx in 0..<k {
                                            let x = ox * s - p + kx
                                            if x < 0 || x >= w { continue }
                                            let v = planeSrc[y * w + x]
                                            total += v
                                            if v > best || v.isNaN || bestIndex < 0 {
                                                best = v
                                                bestIndex = Int32(y * w + x)
                                            }
                                        }
                                    }
                                    let o = (plane * oh + oy) * ow + ox
                                    if isMax {
                                        dst[o] = best
                                        win![o] = bestIndex
                                    } else {
                                        dst[o] = total * inverseArea
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let outShape = [n, c, oh, ow]
        guard Tensor.needsRecord(self) else { return Tensor(shape: outShape, scalars: out) }
        let inputShape = shape
        return Tensor.recording(
            outShape, out,
            [
                (
                    self,
                    { g in
                        var dx = [Float](repeating: 0, count: planes * h * w)
                        g.scalars.withUnsafeBufferPointer { dyb in
                            winners.withUnsafeBufferPointer { winb in
                                dx.withUnsafeMutableBufferPointer { dxb in
                                    let dy = dyb.baseAddress!, win = winb.baseAddress, dxp = dxb.baseAddress!
                                    Parallel.forEachChunk(planes, costPerItem: h * w) { range in
                                        for plane in range {
                                            let base = plane * h * w
                                            for oy in 0..<oh {
                                                for ox in 0..<ow {
                                                    let o = (plane * oh + oy) * ow + ox
                                                    if isMax {
                                                        dxp[base + Int(win![o])] += dy[o]
                                                        continue
                                                    }
                                                    let share = dy[o] * inverseArea
                                                    for ky in 0..<k {
                                                        let y = oy * s - p + ky
                                                        if y < 0 || y >= h { continue }
                                                        for kx in 0..<k {
                                                            let x = ox * s - p + kx
                                                            if x >= 0 && x < w { dxp[base + y * w + x] += share }
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        return Tensor(shape: inputShape, scalars: dx)
                    }
                )
            ])
    }
}

extension Tensor {
    /// The 2×2, stride-2 max windows `0..<(outputs / 8 · 8)` of one output row from input rows `r0` and `r1`, eight
    /// at a time: each window keeps the first maximal element in the order (r0, x), (r0, x+1), (r1, x), (r1, x+1),
    /// except that a NaN replaces the running best (so the last NaN wins), exactly as the scalar loop. Writes the
    /// maxima and the winners' flat indices (`rowIndex` is that of `r0[0]` in the plane); returns the first window not
    /// done.
    @inline(__always)
    fileprivate static func maxPool2x2Row(
        _ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, width w: Int, outputs: Int, rowIndex: Int,
        into dst: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Int32>
    ) -> Int {
        let raw0 = UnsafeRawPointer(r0), raw1 = UnsafeRawPointer(r1)
        let rawDst = UnsafeMutableRawPointer(dst), rawWin = UnsafeMutableRawPointer(winners)
        let lane = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14)
        var ox = 0
        while ox + 8 <= outputs {
            let top = raw0.loadUnaligned(fromByteOffset: 2 * ox * 4, as: SIMD16<Float>.self)
            let bottom = raw1.loadUnaligned(fromByteOffset: 2 * ox * 4, as: SIMD16<Float>.self)
            var best = top.evenHalf
            var index = lane &+ Int32(rowIndex + 2 * ox)
            @inline(__always) func consider(_ candidate: SIMD8<Float>, _ offset: Int) {
                let wins = (candidate .> best) .| (candidate .!= candidate)
                best.replace(with: candidate, where: wins)
                index.replace(with: lane &+ Int32(offset), where: wins)
            }
            consider(top.oddHalf, rowIndex + 2 * ox + 1)
            consider(bottom.evenHalf, rowIndex + w + 2 * ox)
            consider(bottom.oddHalf, rowIndex + w + 2 * ox + 1)
            rawDst.storeBytes(of: best, toByteOffset: ox * 4, as: SIMD8<Float>.self)
            rawWin.storeBytes(of: index, toByteOffset: ox * 4, as: SIMD8<Int32>.self)
            ox += 8
        }
        return ox
    }
}
