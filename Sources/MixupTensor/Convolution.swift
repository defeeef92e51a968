import CMixupKernels

/// The geometry of a 2-D convolution or pooling window.
struct ConvolutionGeometry {
    let batch, channels, height, width: Int
    let kernelHeight, kernelWidth: Int
    let stride, padding: Int
    var outHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
    var outWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }

    /// The output positions `lo..<hi` along one axis whose input coordinate `o·stride − padding + k` lies in
    /// `0..<extent` (the rest read padding).
    @inline(__always)
    func validRange(_ k: Int, extent: Int, outExtent: Int) -> (lo: Int, hi: Int) {
        let a = padding - k
        let lo = a <= 0 ? 0 : (a + stride - 1) / stride
        let b = extent - 1 + padding - k
        let hi = b < 0 ? 0 : Swift.min(outExtent, b / stride + 1)
        return (Swift.min(lo, hi), hi)
    }

    /// The column matrix of `channels` planes of one image as `mk_sgemm_conv` reads it (implicit im2col):
    /// `[channels·kh·kw, outHeight·outWidth]`, never materialised.
    func columns(_ image: UnsafePointer<Float>, channels: Int) -> mk_conv_columns {
        mk_conv_columns(
            image: image, channels: channels, height: height, width: width, kernel_height: kernelHeight,
            kernel_width: kernelWidth, stride: stride, pad_h: padding, pad_w: padding, out_height: outHeight,
            out_width: outWidth)
    }

    /// For a stride-1 convolution, the columns of the output gradient (`channels` planes of `outHeight × outWidth`)
    /// whose product with the flipped, transposed filter is the input gradient: a "full" convolution padded by
    /// `kernel − 1 − padding`, giving `height × width`. `nil` when the padding exceeds `kernel − 1` (or stride ≠ 1).
    func gradientColumns(_ outputGradient: UnsafePointer<Float>, channels: Int) -> mk_conv_columns? {
        guard stride == 1, padding <= kernelHeight - 1, padding <= kernelWidth - 1 else { return nil }
        return mk_conv_columns(
            image: outputGradient, channels: channels, height: outHeight, width: outWidth,
            kernel_height: kernelHeight, kernel_width: kernelWidth, stride: 1, pad_h: kernelHeight - 1 - padding,
            pad_w: kernelWidth - 1 - padding, out_height: height, out_width: width)
    }

    /// Folds columns back into (adds them onto) `channels` image planes: the adjoint of the column matrix of
    /// ``columns(_:channels:)``.
    func col2im(_ columns: UnsafePointer<Float>, channels: Int, into image: UnsafeMutablePointer<Float>) {
        let oh = outHeight, ow = outWidth, s = stride
        var row = 0
        for c in 0..<channels {
            let plane = image + c * height * width
            for ky in 0..<kernelHeight {
                let (oyLo, oyHi) = validRange(ky, extent: height, outExtent: oh)
                for kx in 0..<kernelWidth {
                    let (oxLo, oxHi) = validRange(kx, extent: width, outExtent: ow)
                    let length = oxHi - oxLo
                    let src = columns + row * oh * ow
                    if length > 0 {
                        for oy in oyLo..<oyHi {
                            let d = plane + (oy * s - padding + ky) * width + (oxLo * s - padding + kx)
                            let from = src + oy * ow + oxLo
                            if s == 1 {
                                for i in 0..<length { d[i] += from[i] }
                            } else {
                                for i in 0..<length { d[i * s] += from[i] }
                            }
                        }
                    }
                    row += 1
                }
            }
        }
    }
}
