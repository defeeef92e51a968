import CMixupKernels
import MixupTensor
import Testing
import _MixupTestSupport

/// `mk_sgemm_conv` (implicit-GEMM convolution: the im2col operand packed straight from the image) against an explicit
/// column matrix and a double-precision product, for every micro-kernel this CPU runs; and `conv2d`'s gradients at
/// sizes beyond one GEMM block against the convolution's definition.
@Suite(.serialized) struct ImplicitConvolutionGEMMTests {
    struct Geometry: CustomTestStringConvertible, Sendable {
        let channels, height, width, kernelHeight, kernelWidth, stride, padH, padW: Int
        var outHeight: Int { (height + 2 * padH - kernelHeight) / stride + 1 }
        var outWidth: Int { (width + 2 * padW - kernelWidth) / stride + 1 }
        var rows: Int { channels * kernelHeight * kernelWidth }
        var positions: Int { outHeight * outWidth }
        var testDescription: String {
            "\(channels)×\(height)×\(width) k \(kernelHeight)×\(kernelWidth) s \(stride) p \(padH),\(padW)"
        }

        /// The column matrix written out: `[rows, positions]`.
        func explicitColumns(_ image: [Float]) -> [Float] {
            var columns = [Float](repeating: 0, count: rows * positions)
            for c in 0..<channels {
                for ky in 0..<kernelHeight {
                    for kx in 0..<kernelWidth {
                        let r = (c * kernelHeight + ky) * kernelWidth + kx
                        for oy in 0..<outHeight {
                            for ox in 0..<outWidth {
                                let iy = oy * stride - padH + ky, ix = ox * stride - padW + kx
                                guard iy >= 0, iy < height, ix >= 0, ix < width else { continue }
                                columns[r * positions + oy * outWidth + ox] = image[(c * height + iy) * width + ix]
                            }
                        }
                    }
                }
            }
            return columns
        }
    }

    static let geometries: [Geometry] = [
        // Same-size stride 1 (the shifted-copy path), odd sizes.
        Geometry(channels: 3, height: 7, width: 9, kernelHeight: 3, kernelWidth: 3, stride: 1, padH: 1, padW: 1),
        // Depth above one K block (40·9 = 360 rows), N not a multiple of the panel width.
        Geometry(channels: 40, height: 6, width: 5, kernelHeight: 3, kernelWidth: 3, stride: 1, padH: 1, padW: 1),
        // Stride 2 with padding, an output row shorter than a panel.
        Geometry(channels: 5, height: 8, width: 7, kernelHeight: 3, kernelWidth: 3, stride: 2, padH: 1, padW: 1),
        // Unpadded, non-square kernel; and a "full" padding larger than kernel − 1 on one axis.
        Geometry(channels: 2, height: 5, width: 7, kernelHeight: 2, kernelWidth: 3, stride: 1, padH: 0, padW: 0),
        Geometry(channels: 4, height: 5, width: 4, kernelHeight: 3, kernelWidth: 3, stride: 1, padH: 2, padW: 3),
        // 1×1 stride 2 (a ResNet shortcut), and wide rows spanning several NC / panel blocks.
        Geometry(channels: 6, height: 9, width: 9, kernelHeight: 1, kernelWidth: 1, stride: 2, padH: 0, padW: 0),
        Geometry(channels: 2, height: 9, width: 40, kernelHeight: 3, kernelWidth: 3, stride: 1, padH: 1, padW: 1),
        // Rows of whole 8-position halves and whole 16-wide panels: kernels with a direct variant read the padded
        // image without packing (one depth block and two).
        Geometry(channels: 3, height: 4, width: 16, kernelHeight: 3, kernelWidth: 3, stride: 1, padH: 1, padW: 1),
        Geometry(channels: 40, height: 6, width: 8, kernelHeight: 3, kernelWidth: 3, stride: 1, padH: 1, padW: 1),
        // Stride 2 with 8-wide output rows in whole panels, and an odd input size: the phase-split direct path.
        Geometry(channels: 3, height: 16, width: 16, kernelHeight: 3, kernelWidth: 3, stride: 2, padH: 1, padW: 1),
        Geometry(channels: 4, height: 17, width: 15, kernelHeight: 3, kernelWidth: 3, stride: 2, padH: 1, padW: 1),
    ]

    @Test(arguments: geometries)
    func everyAvailableKernelMatchesTheExplicitColumns(_ g: Geometry) {
        var generator = SeededGenerator(seed: UInt64(g.rows * 31 + g.positions))
        let image = Tensor.uniform([g.channels * g.height * g.width], lower: -1, upper: 1, using: &generator).scalars
        let columns = g.explicitColumns(image)
        let m = 7
        let previous = ComputeThreads.count
        defer { ComputeThreads.set(previous) }
        let available = GEMMKernelTests.kernels.filter { mk_kernel_available($0) == 1 }
        for transposed in [false, true] {
            // transposed: C[m × rows] = A[m × positions] · colsᵀ; else C[m × positions] = A[m × rows] · cols.
            let (k, n) = transposed ? (g.positions, g.rows) : (g.rows, g.positions)
            let a = Tensor.uniform([m * k], lower: -1, upper: 1, using: &generator).scalars
            let c0 = Tensor.uniform([m * n], lower: -1, upper: 1, using: &generator).scalars
            for (alpha, beta): (Float, Float) in [(1, 0), (1, 1), (0.5, 0.25)] {
                let expected = GEMMKernelTests.reference(
                    transA: false, transB: transposed, m: m, n: n, k: k, alpha: alpha, a: a, b: columns, beta: beta,
                    c: c0)
                for kernel in available {
                    GEMMKernelTests.expectMatchesOnOneAndTwoThreads(
                        expected, depth: k, context: "\(kernel) \(g.testDescription) transposed \(transposed) β \(beta)"
                    ) {
                        var c = c0
                        let ran = image.withUnsafeBufferPointer { ib in
                            var description = mk_conv_columns(
                                image: ib.baseAddress, channels: g.channels, height: g.height, width: g.width,
                                kernel_height: g.kernelHeight, kernel_width: g.kernelWidth, stride: g.stride,
                                pad_h: g.padH, pad_w: g.padW, out_height: g.outHeight, out_width: g.outWidth)
                            return mk_sgemm_conv(
                                kernel, transposed ? 1 : 0, 1, m, alpha, a, k, 0, &description, 0, beta, &c, n, 0)
                        }
                        return (ran, c)
                    }
                }
            }
        }
    }

    /// Over a batch: one filter for all samples (A packed once) equals sample-by-sample calls bit for bit; with
    /// c_stride 0 the samples accumulate into one C in order (the filter gradient), equal to the running sum.
    @Test(arguments: [geometries[1], geometries[2]])
    func aBatchEqualsItsSamplesOneByOne(_ g: Geometry) {
        let batch = 3, m = 5, imageSize = g.channels * g.height * g.width
        var generator = SeededGenerator(seed: 77)
        let images = Tensor.uniform([batch * imageSize], lower: -1, upper: 1, using: &generator).scalars
        func run(
            transposed: Bool, batch: Int, a: [Float], aStride: Int, imageOffset: Int, beta: Float, c: inout [Float],
            cOffset: Int, cStride: Int
        ) {
            let (k, n) = transposed ? (g.positions, g.rows) : (g.rows, g.positions)
            images.withUnsafeBufferPointer { ib in
                var description = mk_conv_columns(
                    image: ib.baseAddress! + imageOffset, channels: g.channels, height: g.height, width: g.width,
                    kernel_height: g.kernelHeight, kernel_width: g.kernelWidth, stride: g.stride, pad_h: g.padH,
                    pad_w: g.padW, out_height: g.outHeight, out_width: g.outWidth)
                c.withUnsafeMutableBufferPointer { cb in
                    _ = mk_sgemm_conv(
                        nil, transposed ? 1 : 0, batch, m, 1, a, k, aStride, &description, imageSize, beta,
                        cb.baseAddress! + cOffset, n, cStride)
                }
            }
        }
        // Forward: one filter, one output block per sample.
        let filter = Tensor.uniform([m * g.rows], lower: -1, upper: 1, using: &generator).scalars
        var batched = [Float](repeating: .nan, count: batch * m * g.positions)
        run(
            transposed: false, batch: batch, a: filter, aStride: 0, imageOffset: 0, beta: 0, c: &batched, cOffset: 0,
            cStride: m * g.positions)
        var oneByOne = [Float](repeating: .nan, count: batch * m * g.positions)
        for s in 0..<batch {
            run(
                transposed: false, batch: 1, a: filter, aStride: 0, imageOffset: s * imageSize, beta: 0, c: &oneByOne,
                cOffset: s * m * g.positions, cStride: 0)
        }
        #expect(batched == oneByOne)
        // Filter gradient: a different A per sample, accumulated into one C.
        let gradients = Tensor.uniform([batch * m * g.positions], lower: -1, upper: 1, using: &generator).scalars
        var summed = [Float](repeating: .nan, count: m * g.rows)
        run(
            transposed: true, batch: batch, a: gradients, aStride: m * g.positions, imageOffset: 0, beta: 0, c: &summed,
            cOffset: 0, cStride: 0)
        var running = [Float](repeating: .nan, count: m * g.rows)
        for s in 0..<batch {
            let a = Array(gradients[(s * m * g.positions)..<((s + 1) * m * g.positions)])
            run(
                transposed: true, batch: 1, a: a, aStride: 0, imageOffset: s * imageSize, beta: s == 0 ? 0 : 1,
                c: &running, cOffset: 0, cStride: 0)
        }
        #expect(summed == running)
        #expect(!summed.contains { $0.isNaN })
    }

    @Test func anUnavailableKernelComputesNothing() {
        var c: [Float] = [7]
        let image: [Float] = [1]
        let ran = image.withUnsafeBufferPointer { ib in
            var description = mk_conv_columns(
                image: ib.baseAddress, channels: 1, height: 1, width: 1, kernel_height: 1, kernel_width: 1, stride: 1,
                pad_h: 0, pad_w: 0, out_height: 1, out_width: 1)
            return mk_sgemm_conv("sse9", 0, 1, 1, 1, [2], 1, 0, &description, 0, 0, &c, 1, 0)
        }
        #expect(ran == 0 && c == [7])
    }

    /// The input and filter gradients by the definition: with upstream gradient G,
    /// dX[s, ci, iy, ix] = Σ G[s, o, oy, ox] · W[o, ci − group offset, ky, kx] over the windows covering (iy, ix), and
    /// dW[o, ci, ky, kx] = Σ G[s, o, oy, ox] · X[s, group offset + ci, iy, ix].
    static func naiveGradients(
        x: Tensor, filter: Tensor, upstream: Tensor, stride: Int, padding: Int, groups: Int
    ) -> (input: [Float], filter: [Float]) {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, cg, kh, kw) = (filter.shape[0], filter.shape[1], filter.shape[2], filter.shape[3])
        let (oh, ow) = (upstream.shape[2], upstream.shape[3])
        let og = o / groups
        let xs = x.scalars, ws = filter.scalars, gs = upstream.scalars
        var dx = [Double](repeating: 0, count: x.count)
        var dw = [Double](repeating: 0, count: filter.count)
        for s in 0..<n {
            for oc in 0..<o {
                let group = oc / og
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let g = Double(gs[((s * o + oc) * oh + oy) * ow + ox])
                        for ci in 0..<cg {
                            let channel = group * cg + ci
                            for ky in 0..<kh {
                                let iy = oy * stride - padding + ky
                                guard iy >= 0, iy < h else { continue }
                                for kx in 0..<kw {
                                    let ix = ox * stride - padding + kx
                                    guard ix >= 0, ix < w else { continue }
                                    let xi = ((s * c + channel) * h + iy) * w + ix
                                    let wi = ((oc * cg + ci) * kh + ky) * kw + kx
                                    dx[xi] += g * Double(ws[wi])
                                    dw[wi] += g * Double(xs[xi])
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dx.map { Float($0) }, dw.map { Float($0) })
    }

    /// Stride 1 (input gradient as a convolution with the flipped filter), stride 2 (GEMM + col2im), padding above
    /// kernel − 1 (the fallback), groups; 30 input channels put the depth (270) above one GEMM block; widths 8 and 16 take
    /// the unpacked (direct) micro-kernel where the CPU's kernel has one.
    @Test(arguments: [
        (1, 1, 1, 6), (1, 1, 2, 6), (2, 1, 1, 6), (1, 3, 1, 6), (1, 0, 2, 6), (1, 1, 1, 16), (1, 1, 2, 8),
    ])
    func gradientsMatchTheDefinitionBeyondOneBlock(stride: Int, padding: Int, groups: Int, width: Int) {
        let x = randomTensor([2, 30, 7, width], seed: 301)
        let filter = randomTensor([12, 30 / groups, 3, 3], seed: 302)
        let y = Tensor.conv2d(x, filter: filter, stride: stride, padding: padding, groups: groups)
        expectClose(
            y, naiveConv2d(x, filter, bias: nil, stride: stride, padding: padding, groups: groups), tolerance: 1e-4)
        let upstream = randomTensor(y.shape, seed: 303)
        let (_, gradients) = valueWithGradients(at: [x, filter]) {
            (Tensor.conv2d($0[0], filter: $0[1], stride: stride, padding: padding, groups: groups) * upstream).sum()
        }
        let expected = Self.naiveGradients(
            x: x, filter: filter, upstream: upstream, stride: stride, padding: padding, groups: groups)
        expectClose(gradients[0].scalars, expected.input, tolerance: 2e-4)
        expectClose(gradients[1].scalars, expected.filter, tolerance: 2e-4)
    }
}
