extension Tensor {
    /// Max pooling over `[batch, channels, height, width]` with a square window.
    ///
    /// Gradients flow to the first maximal element of each window. Padding cells count as −∞.
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
        precondition(k >= 1 && s >= 1 && p >= 0 && p <= k / 2, "\(name): kernel \(k), stride \(s), padding \(p) are invalid")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1
        precondition(h + 2 * p >= k && w + 2 * p >= k && oh > 0 && ow > 0, "\(name): window \(k) does not fit input \(h)×\(w)")
        let planes = n * c
        var out = [Float](repeating: 0, count: planes * oh * ow)
        var winners = isMax ? [Int32](repeating: -1, count: planes * oh * ow) : []
        let inverseArea = 1 / Float(k * k)
        scalars.withUnsafeBufferPointer { src in
            for plane in 0..<planes {
                let base = plane * h * w
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
                                let v = src[base + y * w + x]
                                total += v
                                if v > best || bestIndex < 0 {
                                    best = v
                                    bestIndex = Int32(y * w + x)
                                }
                            }
                        }
                        let o = (plane * oh + oy) * ow + ox
                        if isMax {
                            out[o] = best
                            winners[o] = bestIndex
                        } else {
                            out[o] = total * inverseArea
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
            [(self, { g in
                var dx = [Float](repeating: 0, count: planes * h * w)
                g.scalars.withUnsafeBufferPointer { dy in
                    for plane in 0..<planes {
                        let base = plane * h * w
                        for oy in 0..<oh {
                            for ox in 0..<ow {
                                let o = (plane * oh + oy) * ow + ox
                                if isMax {
                                    dx[base + Int(winners[o])] += dy[o]
                                    continue
                                }
                                let share = dy[o] * inverseArea
                                for ky in 0..<k {
                                    let y = oy * s - p + ky
                                    if y < 0 || y >= h { continue }
                                    for kx in 0..<k {
                                        let x = ox * s - p + kx
                                        if x >= 0 && x < w { dx[base + y * w + x] += share }
                                    }
                                }
                            }
                        }
                    }
                }
                return Tensor(shape: inputShape, scalars: dx)
            })])
    }
}
