import CMixupKernels

extension Tensor {
    /// 2-D cross-correlation (what deep-learning libraries call convolution) through im2col and GEMM.
    ///
    /// - Parameters:
    ///   - input: `[batch, inChannels, height, width]`.
    ///   - filter: `[outChannels, inChannels / groups, kernelHeight, kernelWidth]`.
    ///   - bias: optional `[outChannels]`.
    ///   - stride: step of the window, ≥ 1. `padding`: zeros added on every side, ≥ 0.
    ///   - groups: channels are split into this many independent groups (depthwise when equal to `inChannels`).
    /// - Returns: `[batch, outChannels, outHeight, outWidth]` with `out = (in + 2·padding − kernel) / stride + 1`.
    public static func conv2d(
        _ input: Tensor, filter: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, groups: Int = 1
    ) -> Tensor {
        precondition(input.rank == 4, "conv2d: input must be [batch, channels, height, width], got \(input.shape)")
        precondition(filter.rank == 4, "conv2d: filter must be [out, in/groups, kh, kw], got \(filter.shape)")
        precondition(stride >= 1 && padding >= 0 && groups >= 1, "conv2d: stride \(stride), padding \(padding), groups \(groups)")
        let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (o, cg, kh, kw) = (filter.shape[0], filter.shape[1], filter.shape[2], filter.shape[3])
        precondition(
            c % groups == 0 && o % groups == 0 && cg == c / groups,
            "conv2d: input \(input.shape) and filter \(filter.shape) do not match with \(groups) group(s)")
        if let bias { precondition(bias.shape == [o], "conv2d: bias \(bias.shape) does not match \(o) output channels") }
        let geometry = ConvolutionGeometry(
            batch: n, channels: c, height: h, width: w, kernelHeight: kh, kernelWidth: kw, stride: stride, padding: padding)
        let (oh, ow) = (geometry.outHeight, geometry.outWidth)
        // Checked on the padded extents: (h + 2p − kh) / stride truncates towards zero, so a kernel slightly larger
        // than the padded input would otherwise give oh == 1 and silently read out-of-range cells as zeros.
        precondition(
            h + 2 * padding >= kh && w + 2 * padding >= kw && oh > 0 && ow > 0, "conv2d: kernel \(kh)×\(kw) does not fit input \(h)×\(w) with padding \(padding)")
        let og = o / groups
        let rowsPerGroup = cg * kh * kw
        let spatial = oh * ow
        var out = [Float](repeating: 0, count: n * o * spatial)
        var columns = [Float](repeating: 0, count: c * kh * kw * spatial)
        input.scalars.withUnsafeBufferPointer { x in
            filter.scalars.withUnsafeBufferPointer { f in
                out.withUnsafeMutableBufferPointer { y in
                    columns.withUnsafeMutableBufferPointer { col in
                        for sample in 0..<n {
                            geometry.im2col(x.baseAddress! + sample * c * h * w, channels: c, into: col.baseAddress!)
                            for g in 0..<groups {
                                mk_sgemm(
                                    0, 0, og, spatial, rowsPerGroup, 1, f.baseAddress! + g * og * rowsPerGroup, rowsPerGroup,
                                    col.baseAddress! + g * rowsPerGroup * spatial, spatial, 0,
                                    y.baseAddress! + (sample * o + g * og) * spatial, spatial)
                            }
                            if let bias {
                                for oc in 0..<o {
                                    let b = bias.scalars[oc]
                                    let base = (sample * o + oc) * spatial
                                    for i in 0..<spatial { y[base + i] += b }
                                }
                            }
                        }
                    }
                }
            }
        }
        let outShape = [n, o, oh, ow]
        let biasTensor = bias ?? Tensor.zeros([0])
        guard needsRecord(input, filter, biasTensor) else { return Tensor(shape: outShape, scalars: out) }
        let cx = input.detached(), cf = filter.detached()
        var inputs: [(Tensor, (Tensor) -> Tensor)] = [
            (input, { g in
                var dx = [Float](repeating: 0, count: n * c * h * w)
                var dcol = [Float](repeating: 0, count: c * kh * kw * spatial)
                g.scalars.withUnsafeBufferPointer { dy in
                    cf.scalars.withUnsafeBufferPointer { f in
                        dx.withUnsafeMutableBufferPointer { dxp in
                            dcol.withUnsafeMutableBufferPointer { dc in
                                for sample in 0..<n {
                                    for gi in 0..<groups {
                                        // dcol = Wᵀ · dY for this group.
                                        mk_sgemm(
                                            1, 0, rowsPerGroup, spatial, og, 1, f.baseAddress! + gi * og * rowsPerGroup,
                                            rowsPerGroup, dy.baseAddress! + (sample * o + gi * og) * spatial, spatial, 0,
                                            dc.baseAddress! + gi * rowsPerGroup * spatial, spatial)
                                    }
                                    geometry.col2im(dc.baseAddress!, channels: c, into: dxp.baseAddress! + sample * c * h * w)
                                }
                            }
                        }
                    }
                }
                return Tensor(shape: [n, c, h, w], scalars: dx)
            }),
            (filter, { g in
                var df = [Float](repeating: 0, count: o * rowsPerGroup)
                var col = [Float](repeating: 0, count: c * kh * kw * spatial)
                cx.scalars.withUnsafeBufferPointer { x in
                    g.scalars.withUnsafeBufferPointer { dy in
                        df.withUnsafeMutableBufferPointer { dfp in
                            col.withUnsafeMutableBufferPointer { cp in
                                for sample in 0..<n {
                                    geometry.im2col(x.baseAddress! + sample * c * h * w, channels: c, into: cp.baseAddress!)
                                    for gi in 0..<groups {
                                        // dW += dY · colᵀ for this group.
                                        mk_sgemm(
                                            0, 1, og, rowsPerGroup, spatial, 1,
                                            dy.baseAddress! + (sample * o + gi * og) * spatial, spatial,
                                            cp.baseAddress! + gi * rowsPerGroup * spatial, spatial, 1,
                                            dfp.baseAddress! + gi * og * rowsPerGroup, rowsPerGroup)
                                    }
                                }
                            }
                        }
                    }
                }
                return Tensor(shape: cf.shape, scalars: df)
            }),
        ]
        if let bias {
            inputs.append((bias, { g in g.sum(alongAxes: [0, 2, 3]) }))
        }
        return recording(outShape, out, inputs)
    }
}
