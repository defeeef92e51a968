import MixupTensor

/// 2-D cross-correlation by its definition (a direct loop), the reference the convolution tests compare against.
///
/// Shapes as `Tensor.conv2d`: input `[n, c, h, w]`, filter `[o, c / groups, kh, kw]`, optional bias `[o]`.
public func naiveConv2d(_ x: Tensor, _ f: Tensor, bias: Tensor?, stride: Int, padding: Int, groups: Int) -> Tensor {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, cg, kh, kw) = (f.shape[0], f.shape[1], f.shape[2], f.shape[3])
    let oh = (h + 2 * padding - kh) / stride + 1, ow = (w + 2 * padding - kw) / stride + 1
    let og = o / groups
    precondition(cg * groups == c, "naiveConv2d: \(c) channels do not split into \(groups) groups of \(cg)")
    var out = [Float](repeating: 0, count: n * o * oh * ow)
    for s in 0..<n {
        for oc in 0..<o {
            let group = oc / og
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var total: Float = bias?.scalars[oc] ?? 0
                    for ic in 0..<cg {
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                let y = oy * stride - padding + ky, xx = ox * stride - padding + kx
                                guard y >= 0, y < h, xx >= 0, xx < w else { continue }
                                total += x[s, group * cg + ic, y, xx] * f[oc, ic, ky, kx]
                            }
                        }
                    }
                    out[((s * o + oc) * oh + oy) * ow + ox] = total
                }
            }
        }
    }
    return Tensor(shape: [n, o, oh, ow], scalars: out)
}
