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

    /// Whether this is a stride-1 "same" convolution (output as large as the input), where every column row is the
    /// image plane shifted by (ky − p, kx − p): one contiguous block copy plus zeroed borders.
    var isShiftedCopy: Bool { stride == 1 && outHeight == height && outWidth == width }

    /// Unfolds `channels` planes of one image into columns: `[channels·kh·kw, outHeight·outWidth]`.
    func im2col(_ image: UnsafePointer<Float>, channels: Int, into columns: UnsafeMutablePointer<Float>) {
        if isShiftedCopy {
            im2colShifted(image, channels: channels, into: columns)
            return
        }
        let oh = outHeight, ow = outWidth, s = stride
        var row = 0
        for c in 0..<channels {
            let plane = image + c * height * width
            for ky in 0..<kernelHeight {
                let (oyLo, oyHi) = validRange(ky, extent: height, outExtent: oh)
                for kx in 0..<kernelWidth {
                    let (oxLo, oxHi) = validRange(kx, extent: width, outExtent: ow)
                    let dst = columns + row * oh * ow
                    if oyLo > 0 { dst.update(repeating: 0, count: oyLo * ow) }
                    if oyHi < oh { (dst + oyHi * ow).update(repeating: 0, count: (oh - oyHi) * ow) }
                    let length = oxHi - oxLo
                    for oy in oyLo..<oyHi {
                        let d = dst + oy * ow
                        if oxLo > 0 { d.update(repeating: 0, count: oxLo) }
                        if oxHi < ow { (d + oxHi).update(repeating: 0, count: ow - oxHi) }
                        if length <= 0 { continue }
                        let src = plane + (oy * s - padding + ky) * width + (oxLo * s - padding + kx)
                        if s == 1 {
                            (d + oxLo).update(from: src, count: length)
                        } else {
                            for i in 0..<length { d[oxLo + i] = src[i * s] }
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// ``im2col`` for ``isShiftedCopy`` geometries: per (channel, ky, kx) one memcpy of the valid rows (the flat
    /// index shifts by dy·width + dx), then the wrapped-around border columns and the out-of-range rows are zeroed.
    private func im2colShifted(_ image: UnsafePointer<Float>, channels: Int, into columns: UnsafeMutablePointer<Float>)
    {
        let h = height, w = width, plane = h * w
        var row = 0
        for c in 0..<channels {
            let src = image + c * plane
            for ky in 0..<kernelHeight {
                let dy = ky - padding
                let oyLo = Swift.max(0, -dy), oyHi = Swift.min(h, h - dy)
                for kx in 0..<kernelWidth {
                    let dx = kx - padding
                    let dst = columns + row * plane
                    row += 1
                    if oyHi <= oyLo {
                        dst.update(repeating: 0, count: plane)
                        continue
                    }
                    if oyLo > 0 { dst.update(repeating: 0, count: oyLo * w) }
                    if oyHi < h { (dst + oyHi * w).update(repeating: 0, count: (h - oyHi) * w) }
                    // Valid flat range [start, end) of destination positions; trim one element at an end where the
                    // shifted source would step outside the plane (that element is a border zero anyway).
                    var start = oyLo * w, end = oyHi * w
                    if dx < 0 { start += -dx } else if dx > 0 { end -= dx }
                    if end > start { (dst + start).update(from: src + start + dy * w + dx, count: end - start) }
                    if dx != 0 {
                        let (lo, hi) = dx < 0 ? (0, -dx) : (w - dx, w)
                        for oy in oyLo..<oyHi {
                            let r = dst + oy * w
                            for ox in Swift.max(lo, 0)..<Swift.min(hi, w) { r[ox] = 0 }
                        }
                    }
                }
            }
        }
    }

    /// Folds columns back into (adds them onto) `channels` image planes: the adjoint of ``im2col``.
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
