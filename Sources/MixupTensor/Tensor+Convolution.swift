import CMixupKernels

extension Tensor {
    /// 2-D cross-correlation (what deep-learning libraries call convolution) as implicit GEMM: the im2col column
    /// matrix is packed straight from the image inside the GEMM (`mk_sgemm_conv`), never written out. The filter
    /// gradient is the same kind of product; the input gradient of a stride-1 convolution is the convolution of the
    /// output gradient with the flipped filter, and of other strides a GEMM followed by col2im. 3×3 stride-1 layers
    /// with at least 16 input and output channels use Winograd F(2×2, 3×3) instead (Lavin & Gray 2016; for the
    /// filter gradient from 32 channels): the same results up to float rounding.
    ///
    /// - Parameters:
    ///   - input: `[batch, inChannels, height, width]`.
    ///   - filter: `[outChannels, inChannels / groups, kernelHeight, kernelWidth]`.
    ///   - bias: optional `[outChannels]`.
    ///   - stride: step of the window, ≥ 1. `padding`: zeros added on every side, ≥ 0.
    ///   - groups: channels are split into this many independent groups (depthwise when equal to `inChannels`).
    ///   - residual: optional tensor of the output's shape added to the result in the same pass (the convolution
    ///     accumulates onto it): `conv2d(x, filter: w, residual: r)` equals `conv2d(x, filter: w) + r` up to float
    ///     rounding, without a separate addition over memory — the residual add of a ResNet block.
    /// - Returns: `[batch, outChannels, outHeight, outWidth]` with `out = (in + 2·padding − kernel) / stride + 1`.
    public static func conv2d(
        _ input: Tensor, filter: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, groups: Int = 1,
        residual: Tensor? = nil
    ) -> Tensor {
        precondition(input.rank == 4, "conv2d: input must be [batch, channels, height, width], got \(input.shape)")
        precondition(filter.rank == 4, "conv2d: filter must be [out, in/groups, kh, kw], got \(filter.shape)")
        precondition(
            stride >= 1 && padding >= 0 && groups >= 1, "conv2d: stride \(stride), padding \(padding), groups \(groups)"
        )
        let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (o, cg, kh, kw) = (filter.shape[0], filter.shape[1], filter.shape[2], filter.shape[3])
        precondition(
            c % groups == 0 && o % groups == 0 && cg == c / groups,
            "conv2d: input \(input.shape) and filter \(filter.shape) do not match with \(groups) group(s)")
        if let bias {
            precondition(bias.shape == [o], "conv2d: bias \(bias.shape) does not match \(o) output channels")
        }
        let geometry = ConvolutionGeometry(
            batch: n, channels: c, height: h, width: w, kernelHeight: kh, kernelWidth: kw, stride: stride,
            padding: padding)
        let (oh, ow) = (geometry.outHeight, geometry.outWidth)
        // Checked on the padded extents: (h + 2p − kh) / stride truncates towards zero, so a kernel slightly larger
        // than the padded input would otherwise give oh == 1 and silently read out-of-range cells as zeros.
        precondition(
            h + 2 * padding >= kh && w + 2 * padding >= kw && oh > 0 && ow > 0,
            "conv2d: kernel \(kh)×\(kw) does not fit input \(h)×\(w) with padding \(padding)")
        let og = o / groups
        let rowsPerGroup = cg * kh * kw
        let spatial = oh * ow
        let sampleIn = c * h * w, sampleOut = o * spatial, columnCount = c * kh * kw * spatial
        let groupIn = (c / groups) * h * w
        // A 1×1, stride-1, unpadded convolution's input gradient is a plain GEMM into the image.
        let direct = kh == 1 && kw == 1 && stride == 1 && padding == 0
        // Samples are independent: split the batch across threads, each running single-threaded GEMMs (no hand-off
        // per GEMM). Chunking depends only on n and the thread count.
        let chunks = Parallel.chunkCount(n, costPerItem: o * rowsPerGroup * spatial)
        if let residual {
            precondition(
                residual.shape == [n, o, oh, ow],
                "conv2d: residual \(residual.shape) does not match the output shape \([n, o, oh, ow])")
        }
        // Every element is written by a GEMM with beta = 0, so the output needs no zeroing; with a residual the
        // output starts as its copy and the GEMMs accumulate onto it (beta = 1).
        var out =
            residual?.scalars
            ?? [Float](unsafeUninitializedCapacity: n * sampleOut) { _, initialized in initialized = n * sampleOut }
        let outputBeta: Float = residual == nil ? 0 : 1
        let winograd = WinogradConvolution(
            inChannels: c, outChannels: o, height: h, width: w, kernelHeight: kh, kernelWidth: kw, stride: stride,
            padding: padding, groups: groups)
        let transformed = winograd.map { plan in
            filter.scalars.withUnsafeBufferPointer { plan.transform(filter: $0.baseAddress!) }
        }
        input.scalars.withUnsafeBufferPointer { xb in
            filter.scalars.withUnsafeBufferPointer { fb in
                out.withUnsafeMutableBufferPointer { yb in
                    let x = xb.baseAddress!, f = fb.baseAddress!, y = yb.baseAddress!
                    let biasValues = bias?.scalars
                    Parallel.forEachChunk(n, chunks: chunks) { _, samples in
                        guard let first = samples.first else { return }
                        var done = false
                        if let winograd, let transformed {
                            done = winograd.convolve(
                                transformed: transformed, count: samples.count, x + first * sampleIn,
                                inputStride: sampleIn, beta: outputBeta, y + first * sampleOut, outputStride: sampleOut)
                        }
                        for g in 0..<groups where !done {
                            var columns = geometry.columns(x + first * sampleIn + g * groupIn, channels: cg)
                            mk_sgemm_conv(
                                nil, 0, samples.count, og, 1, f + g * og * rowsPerGroup, rowsPerGroup, 0, &columns,
                                sampleIn, outputBeta, y + first * sampleOut + g * og * spatial, spatial, sampleOut)
                        }
                        for sample in samples {
                            if let biasValues {
                                for oc in 0..<o {
                                    let b = biasValues[oc]
                                    let row = y + sample * sampleOut + oc * spatial
                                    for i in 0..<spatial { row[i] += b }
                                }
                            }
                        }
                    }
                }
            }
        }
        let outShape = [n, o, oh, ow]
        let biasTensor = bias ?? Tensor.zeros([0])
        let residualTensor = residual ?? Tensor.zeros([0])
        guard needsRecord(input, filter, biasTensor, residualTensor) else {
            return Tensor(shape: outShape, scalars: out)
        }
        let cx = input.detached(), cf = filter.detached()
        var inputs: [(Tensor, (Tensor) -> Tensor)] = [
            (
                input,
                { g in
                    if let dx = Tensor.conv2dInputGradientByConvolution(
                        g, filter: cf, geometry: geometry, groups: groups, chunks: chunks)
                    {
                        return dx
                    }
                    // dcol = Wᵀ · dY per sample and group, folded back by col2im (which accumulates, so dx starts at 0;
                    // the direct case writes dx with beta = 0).
                    var dx =
                        direct
                        ? [Float](unsafeUninitializedCapacity: n * sampleIn) { _, initialized in
                            initialized = n * sampleIn
                        }
                        : [Float](repeating: 0, count: n * sampleIn)
                    g.scalars.withUnsafeBufferPointer { dyb in
                        cf.scalars.withUnsafeBufferPointer { fb in
                            dx.withUnsafeMutableBufferPointer { dxb in
                                let dy = dyb.baseAddress!, f = fb.baseAddress!, dxp = dxb.baseAddress!
                                Parallel.forEachChunk(n, chunks: chunks) { _, samples in
                                    let scratch =
                                        direct ? nil : UnsafeMutablePointer<Float>.allocate(capacity: columnCount)
                                    defer { scratch?.deallocate() }
                                    for sample in samples {
                                        let dcol = scratch ?? dxp + sample * sampleIn
                                        for gi in 0..<groups {
                                            mk_sgemm(
                                                1, 0, rowsPerGroup, spatial, og, 1, f + gi * og * rowsPerGroup,
                                                rowsPerGroup,
                                                dy + sample * sampleOut + gi * og * spatial, spatial, 0,
                                                dcol + gi * rowsPerGroup * spatial, spatial)
                                        }
                                        if let scratch {
                                            geometry.col2im(scratch, channels: c, into: dxp + sample * sampleIn)
                                        }
                                    }
                                }
                            }
                        }
                    }
                    return Tensor(shape: [n, c, h, w], scalars: dx)
                }
            ),
            (
                filter,
                { g in
                    // dW = Σ_samples dY · colᵀ. Each chunk of samples sums into its own buffer (chunk 0 into df), then the
                    // partial sums are added in chunk order: deterministic for a given thread count.
                    let filterCount = o * rowsPerGroup
                    var df = [Float](unsafeUninitializedCapacity: filterCount) { _, initialized in
                        initialized = filterCount
                    }
                    let partials = UnsafeMutablePointer<Float>.allocate(
                        capacity: Swift.max(chunks - 1, 0) * filterCount + 1)
                    defer { partials.deallocate() }
                    cx.scalars.withUnsafeBufferPointer { xb in
                        g.scalars.withUnsafeBufferPointer { dyb in
                            df.withUnsafeMutableBufferPointer { dfb in
                                let x = xb.baseAddress!, dy = dyb.baseAddress!, dfp = dfb.baseAddress!
                                Parallel.forEachChunk(n, chunks: chunks) { chunk, samples in
                                    let target = chunk == 0 ? dfp : partials + (chunk - 1) * filterCount
                                    if samples.isEmpty {
                                        target.update(repeating: 0, count: filterCount)
                                        return
                                    }
                                    let first = samples.lowerBound
                                    let done =
                                        winograd?.filterGradient(
                                            count: samples.count, x + first * sampleIn, inputStride: sampleIn,
                                            outputGradient: dy + first * sampleOut, outputStride: sampleOut,
                                            into: target) ?? false
                                    for gi in 0..<groups where !done {
                                        // dW = Σ dY · colᵀ over the chunk's samples, the columns packed from the image.
                                        var columns = geometry.columns(
                                            x + first * sampleIn + gi * groupIn, channels: cg)
                                        mk_sgemm_conv(
                                            nil, 1, samples.count, og, 1, dy + first * sampleOut + gi * og * spatial,
                                            spatial, sampleOut, &columns, sampleIn, 0, target + gi * og * rowsPerGroup,
                                            rowsPerGroup, 0)
                                    }
                                }
                                for chunk in 1..<Swift.max(chunks, 1) {
                                    let partial = partials + (chunk - 1) * filterCount
                                    for i in 0..<filterCount { dfp[i] += partial[i] }
                                }
                            }
                        }
                    }
                    return Tensor(shape: cf.shape, scalars: df)
                }
            ),
        ]
        if let bias {
            inputs.append((bias, { g in g.sum(alongAxes: [0, 2, 3]) }))
        }
        if let residual {
            inputs.append((residual, { g in g }))
        }
        return recording(outShape, out, inputs)
    }
}

extension Tensor {
    /// The input gradient of a stride-1 convolution as a convolution: dX = conv(dY, W′) with W′ the filter flipped in
    /// both spatial axes and with its channel axes swapped, padded by `kernel − 1 − padding` (a "full" convolution),
    /// packed implicitly like the forward pass — no column buffer, no col2im. `nil` for geometries it does not cover
    /// (stride ≠ 1, padding > kernel − 1, 1×1 unpadded — whose plain GEMM is as good).
    static func conv2dInputGradientByConvolution(
        _ outputGradient: Tensor, filter: Tensor, geometry: ConvolutionGeometry, groups: Int, chunks: Int
    ) -> Tensor? {
        let (n, c, h, w) = (geometry.batch, geometry.channels, geometry.height, geometry.width)
        let (o, cg, kh, kw) = (filter.shape[0], filter.shape[1], filter.shape[2], filter.shape[3])
        let direct = kh == 1 && kw == 1 && geometry.stride == 1 && geometry.padding == 0
        guard !direct, geometry.stride == 1, geometry.padding <= kh - 1, geometry.padding <= kw - 1 else { return nil }
        let og = o / groups, taps = kh * kw, spatial = geometry.outHeight * geometry.outWidth
        let sampleIn = c * h * w, sampleOut = o * spatial
        // W′ per group: [cg, og·kh·kw] with W′[ci][(oc·kh + ky)·kw + kx] = W[g·og + oc][ci][kh−1−ky][kw−1−kx].
        var flipped = [Float](unsafeUninitializedCapacity: filter.count) { _, initialized in
            initialized = filter.count
        }
        filter.scalars.withUnsafeBufferPointer { wb in
            flipped.withUnsafeMutableBufferPointer { fb in
                for g in 0..<groups {
                    for ci in 0..<cg {
                        let row = fb.baseAddress! + (g * cg + ci) * og * taps
                        for oc in 0..<og {
                            let source = wb.baseAddress! + ((g * og + oc) * cg + ci) * taps
                            for t in 0..<taps { row[oc * taps + t] = source[taps - 1 - t] }
                        }
                    }
                }
            }
        }
        let winograd = WinogradConvolution(
            inChannels: og, outChannels: cg, height: geometry.outHeight, width: geometry.outWidth, kernelHeight: kh,
            kernelWidth: kw, stride: 1, padding: kh - 1 - geometry.padding, groups: groups)
        let transformed = winograd.map { plan in
            flipped.withUnsafeBufferPointer { plan.transform(filter: $0.baseAddress!) }
        }
        var dx = [Float](unsafeUninitializedCapacity: n * sampleIn) { _, initialized in initialized = n * sampleIn }
        outputGradient.scalars.withUnsafeBufferPointer { dyb in
            flipped.withUnsafeBufferPointer { fb in
                dx.withUnsafeMutableBufferPointer { dxb in
                    let dy = dyb.baseAddress!, f = fb.baseAddress!, dxp = dxb.baseAddress!
                    Parallel.forEachChunk(n, chunks: chunks) { _, samples in
                        guard let first = samples.first else { return }
                        var done = false
                        if let winograd, let transformed {
                            done = winograd.convolve(
                                transformed: transformed, count: samples.count, dy + first * sampleOut,
                                inputStride: sampleOut, beta: 0, dxp + first * sampleIn, outputStride: sampleIn)
                        }
                        for g in 0..<groups where !done {
                            var columns = geometry.gradientColumns(
                                dy + first * sampleOut + g * og * spatial, channels: og)!
                            mk_sgemm_conv(
                                nil, 0, samples.count, cg, 1, f + g * cg * og * taps, og * taps, 0, &columns,
                                sampleOut, 0, dxp + first * sampleIn + g * cg * h * w, h * w, sampleIn)
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, c, h, w], scalars: dx)
    }
}
