/// The geometry of a 2-D convolution or pooling window.
struct ConvolutionGeometry {
    let batch, channels, height, width: Int
    let kernelHeight, kernelWidth: Int
    let stride, padding: Int
    var outHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
    var outWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }

    /// Unfolds `channels` planes of one image into columns: `[channels·kh·kw, outHeight·outWidth]`.
    func im2col(_ image: UnsafePointer<Float>, channels: Int, into columns: UnsafeMutablePointer<Float>) {
        let oh = outHeight, ow = outWidth
        var row = 0
        for c in 0..<channels {
            let plane = image + c * height * width
            for ky in 0..<kernelHeight {
                for kx in 0..<kernelWidth {
                    let dst = columns + row * oh * ow
                    for oy in 0..<oh {
                        let y = oy * stride - padding + ky
                        if y < 0 || y >= height {
                            for ox in 0..<ow { dst[oy * ow + ox] = 0 }
                            continue
                        }
                        let srcRow = plane + y * width
                        if stride == 1 {
                            let x0 = kx - padding
                            for ox in 0..<ow {
                                let x = x0 + ox
                                dst[oy * ow + ox] = (x >= 0 && x < width) ? srcRow[x] : 0
                            }
                        } else {
                            for ox in 0..<ow {
                                let x = ox * stride - padding + kx
                                dst[oy * ow + ox] = (x >= 0 && x < width) ? srcRow[x] : 0
                            }
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// Folds columns back into (adds them onto) `channels` image planes: the adjoint of ``im2col``.
    func col2im(_ columns: UnsafePointer<Float>, channels: Int, into image: UnsafeMutablePointer<Float>) {
        let oh = outHeight, ow = outWidth
        var row = 0
        for c in 0..<channels {
            let plane = image + c * height * width
            for ky in 0..<kernelHeight {
                for kx in 0..<kernelWidth {
                    let src = columns + row * oh * ow
                    for oy in 0..<oh {
                        let y = oy * stride - padding + ky
                        if y < 0 || y >= height { continue }
                        let dstRow = plane + y * width
                        for ox in 0..<ow {
                            let x = ox * stride - padding + kx
                            if x >= 0 && x < width { dstRow[x] += src[oy * ow + ox] }
                        }
                    }
                    row += 1
                }
            }
        }
    }
}
