import CMixupKernels

/// A 3×3, stride-1, ungrouped convolution computed by Winograd F(2×2, 3×3) (`mk_winograd_f2x3_conv`; Lavin & Gray
/// 2016): 16 multiplications per 2×2 output tile and channel pair instead of 36. Used by `Tensor.conv2d`'s forward
/// pass and its stride-1 input gradient (itself such a convolution) when `mk_winograd_f2x3_applies` says the channel
/// counts are wide enough; results equal the direct convolution up to float rounding.
struct WinogradConvolution {
    /// The transformed filter `U[16][outChannels][inChannels]`.
    let transformed: [Float]
    let inChannels, outChannels, height, width, padding: Int

    /// Prepares the convolution of `[inChannels, height, width]` images with `filter` (`[outChannels, inChannels, 3,
    /// 3]`, row-major), or returns `nil` when Winograd does not apply (kernel not 3×3, stride ≠ 1, groups, padding
    /// over 2 — which would need tiles wholly in the padding —, or channel counts below the kernels' threshold).
    init?(
        filter: UnsafePointer<Float>, inChannels: Int, outChannels: Int, height: Int, width: Int, kernelHeight: Int,
        kernelWidth: Int, stride: Int, padding: Int, groups: Int
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
        let count = 16 * outChannels * inChannels
        transformed = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            mk_winograd_f2x3_filter(outChannels, inChannels, filter, buffer.baseAddress!)
            initialized = count
        }
    }

    /// `y_s = conv(x_s) + beta · y_s` for `count` samples (`x_s = x + s·inputStride`, `y_s = y + s·outputStride`).
    /// Returns `false`, computing nothing, if the kernels could not allocate their scratch memory (the caller then
    /// takes another path).
    func convolve(
        count: Int, _ x: UnsafePointer<Float>, inputStride: Int, beta: Float, _ y: UnsafeMutablePointer<Float>,
        outputStride: Int
    ) -> Bool {
        transformed.withUnsafeBufferPointer { u in
            mk_winograd_f2x3_conv(
                nil, count, inChannels, outChannels, height, width, padding, u.baseAddress!, x, inputStride, beta, y,
                outputStride) == 1
        }
    }
}
