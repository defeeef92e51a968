import CMixupKernels

/// A 3×3, stride-1, ungrouped convolution computed by Winograd F(2×2, 3×3) (`mk_winograd_f2x3_conv`; Lavin & Gray
/// 2016): 16 multiplications per 2×2 output tile and channel pair instead of 36. `Tensor.conv2d` uses it for the
/// forward pass, the stride-1 input gradient (itself such a convolution) and the filter gradient when
/// `mk_winograd_f2x3_applies` says the channel counts are wide enough; results equal the direct convolution up to
/// float rounding.
struct WinogradConvolution {
    let inChannels, outChannels, height, width, padding: Int

    /// The convolution of `[inChannels, height, width]` images with a `[outChannels, inChannels, 3, 3]` filter, or
    /// `nil` when Winograd does not apply (kernel not 3×3, stride ≠ 1, groups, padding over 2 — which would need tiles
    /// wholly in the padding —, or channel counts below the kernels' threshold).
    init?(
        inChannels: Int, outChannels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int, stride: Int,
        padding: Int, groups: Int
    ) {
        guard kernelHeight == 3, kernelWidth == 3, stride == 1, groups == 1, padding <= 2,
            height + 2 * padding >= 3, width + 2 * padding >= 3,
            mk_winograd_f2x3_applies(inChannels, outChannels) == 1
        else { return nil }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.height = height
        self.width = width
        self.padding = padding
    }

    /// The transformed filter `U[16][outChannels][inChannels]` of a row-major `[outChannels, inChannels, 3, 3]` one.
    func transform(filter: UnsafePointer<Float>) -> [Float] {
        let count = 16 * outChannels * inChannels
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            mk_winograd_f2x3_filter(outChannels, inChannels, filter, buffer.baseAddress!)
            initialized = count
        }
    }

    /// `y_s = conv(x_s) + beta · y_s` for `count` samples (`x_s = x + s·inputStride`, `y_s = y + s·outputStride`)
    /// with a filter from ``transform(filter:)``. Returns `false`, computing nothing, if the kernels could not
    /// allocate their scratch memory (the caller then takes another path).
    func convolve(
        transformed: [Float], count: Int, _ x: UnsafePointer<Float>, inputStride: Int, beta: Float,
        _ y: UnsafeMutablePointer<Float>, outputStride: Int
    ) -> Bool {
        transformed.withUnsafeBufferPointer { u in
            mk_winograd_f2x3_conv(
                nil, count, inChannels, outChannels, height, width, padding, u.baseAddress!, x, inputStride, beta, y,
                outputStride) == 1
        }
    }

    /// Writes the filter gradient summed over `count` samples (`x_s = x + s·inputStride`, output gradients
    /// `dy_s = dy + s·outputStride`) into `filterGradient` (`[outChannels, inChannels, 3, 3]`). Returns `false`,
    /// computing nothing, when `mk_winograd_f2x3_filter_gradient_applies` says the channels are too few for it to pay,
    /// or if the kernels could not allocate their scratch memory (the caller then takes another path).
    func filterGradient(
        count: Int, _ x: UnsafePointer<Float>, inputStride: Int, outputGradient dy: UnsafePointer<Float>,
        outputStride: Int, into filterGradient: UnsafeMutablePointer<Float>
    ) -> Bool {
        mk_winograd_f2x3_filter_gradient_applies(inChannels, outChannels) == 1
            && mk_winograd_f2x3_filter_gradient(
                nil, count, inChannels, outChannels, height, width, padding, x, inputStride, dy, outputStride,
                filterGradient) == 1
    }
}
