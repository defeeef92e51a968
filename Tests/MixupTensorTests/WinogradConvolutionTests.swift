import CMixupKernels
import Foundation
import MixupTensor
import Testing
import _MixupTestSupport

/// `mk_winograd_f2x3_conv` (Winograd F(2×2, 3×3)) against the convolution's definition in double precision, for every
/// GEMM micro-kernel this CPU runs: odd output sizes (partial tiles), padding 0–2, depths over one GEMM block, β ≠ 0,
/// several samples with strides, and a batch split into calls equal to the whole batch bit for bit.
@Suite struct WinogradConvolutionTests {
    struct Geometry: CustomTestStringConvertible, Sendable {
        let channels, outChannels, height, width, padding: Int
        var outHeight: Int { height + 2 * padding - 2 }
        var outWidth: Int { width + 2 * padding - 2 }
        var testDescription: String { "\(channels)→\(outChannels) \(height)×\(width) p \(padding)" }
    }

    static let geometries: [Geometry] = [
        Geometry(channels: 1, outChannels: 1, height: 3, width: 3, padding: 0),  // one output pixel
        Geometry(channels: 3, outChannels: 5, height: 7, width: 9, padding: 1),  // odd outputs: partial tiles
        Geometry(channels: 4, outChannels: 6, height: 6, width: 5, padding: 2),  // the "full" padding of a gradient
        Geometry(channels: 2, outChannels: 3, height: 4, width: 4, padding: 0),
        Geometry(channels: 300, outChannels: 7, height: 4, width: 6, padding: 1),  // depth over one K block
        Geometry(channels: 16, outChannels: 16, height: 32, width: 32, padding: 1),  // several blocks per sample
        // 12 tiles a row: rows straddle the 16-lane panels, so 8-tile vector runs stop and restart at panel edges.
        Geometry(channels: 8, outChannels: 8, height: 10, width: 24, padding: 1),
    ]

    /// `count` values uniform in [−1, 1].
    static func uniform(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
        Tensor.uniform([count], lower: -1, upper: 1, using: &generator).scalars
    }

    /// y[s][k][oy][ox] = Σ_c,ky,kx x[s][c][oy − p + ky][ox − p + kx] · w[k][c][ky][kx] + β · y0, in double.
    static func reference(
        _ g: Geometry, batch: Int, x: [Float], w: [Float], beta: Float, y0: [Float]
    ) -> [Double] {
        let (c, k, h, wd, oh, ow) = (g.channels, g.outChannels, g.height, g.width, g.outHeight, g.outWidth)
        var out = [Double](repeating: 0, count: batch * k * oh * ow)
        for s in 0..<batch {
            for o in 0..<k {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var sum = 0.0
                        for ci in 0..<c {
                            for ky in 0..<3 {
                                for kx in 0..<3 {
                                    let iy = oy - g.padding + ky, ix = ox - g.padding + kx
                                    guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                                    sum +=
                                        Double(x[((s * c + ci) * h + iy) * wd + ix])
                                        * Double(w[((o * c + ci) * 3 + ky) * 3 + kx])
                                }
                            }
                        }
                        let index = ((s * k + o) * oh + oy) * ow + ox
                        out[index] = sum + Double(beta) * Double(y0[index])
                    }
                }
            }
        }
        return out
    }

    static func winograd(
        kernel: String, _ g: Geometry, batch: Int, x: [Float], u: [Float], beta: Float, y0: [Float]
    ) -> [Float]? {
        var y = y0
        let sampleIn = g.channels * g.height * g.width, sampleOut = g.outChannels * g.outHeight * g.outWidth
        let status = y.withUnsafeMutableBufferPointer { yb in
            mk_winograd_f2x3_conv(
                kernel, batch, g.channels, g.outChannels, g.height, g.width, g.padding, u, x, sampleIn, beta,
                yb.baseAddress, sampleOut)
        }
        return status == 1 ? y : nil
    }

    @Test(arguments: geometries)
    func matchesTheDefinitionOnEveryKernel(_ g: Geometry) throws {
        let batch = 3
        var generator = SeededGenerator(seed: UInt64(g.channels * 97 + g.height))
        let x = Self.uniform(batch * g.channels * g.height * g.width, &generator)
        let w = Self.uniform(g.outChannels * g.channels * 9, &generator)
        let y0 = Self.uniform(batch * g.outChannels * g.outHeight * g.outWidth, &generator)
        var u = [Float](repeating: .nan, count: 16 * g.outChannels * g.channels)
        mk_winograd_f2x3_filter(g.outChannels, g.channels, w, &u)
        #expect(u.allSatisfy { $0.isFinite }, "every transformed filter entry is written")
        let available = GEMMKernelTests.kernels.filter { mk_kernel_available($0) == 1 }
        #expect(!available.isEmpty)
        for kernel in available {
            for beta: Float in [0, 1, 0.5] {
                // β = 0 must not read y: start from NaN there.
                let start = beta == 0 ? [Float](repeating: .nan, count: y0.count) : y0
                let expected = Self.reference(g, batch: batch, x: x, w: w, beta: beta, y0: y0)
                let y = try #require(Self.winograd(kernel: kernel, g, batch: batch, x: x, u: u, beta: beta, y0: start))
                // Error bound of a sum of 9·C products of values in [−1, 1] (Winograd's transforms add a few ulps).
                let tolerance = 1e-5 * Double(9 * g.channels).squareRoot() * 4
                let worst = zip(y, expected).map { abs(Double($0) - $1) }.max() ?? 0
                #expect(worst <= tolerance, "\(kernel) β \(beta): max error \(worst) > \(tolerance)")
            }
        }
    }

    /// dW[k][c][ky][kx] = Σ_s,oy,ox dy[s][k][oy][ox] · x[s][c][oy − p + ky][ox − p + kx], in double.
    static func referenceFilterGradient(_ g: Geometry, batch: Int, x: [Float], dy: [Float]) -> [Double] {
        let (c, k, h, wd, oh, ow) = (g.channels, g.outChannels, g.height, g.width, g.outHeight, g.outWidth)
        var dw = [Double](repeating: 0, count: k * c * 9)
        for s in 0..<batch {
            for o in 0..<k {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let gradient = Double(dy[((s * k + o) * oh + oy) * ow + ox])
                        for ci in 0..<c {
                            for ky in 0..<3 {
                                for kx in 0..<3 {
                                    let iy = oy - g.padding + ky, ix = ox - g.padding + kx
                                    guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                                    dw[((o * c + ci) * 3 + ky) * 3 + kx] +=
                                        gradient * Double(x[((s * c + ci) * h + iy) * wd + ix])
                                }
                            }
                        }
                    }
                }
            }
        }
        return dw
    }

    @Test(arguments: geometries)
    func filterGradientMatchesTheDefinitionOnEveryKernel(_ g: Geometry) throws {
        let batch = 3
        var generator = SeededGenerator(seed: UInt64(g.channels * 89 + g.width))
        let x = Self.uniform(batch * g.channels * g.height * g.width, &generator)
        let dy = Self.uniform(batch * g.outChannels * g.outHeight * g.outWidth, &generator)
        let expected = Self.referenceFilterGradient(g, batch: batch, x: x, dy: dy)
        let sampleIn = g.channels * g.height * g.width, sampleOut = g.outChannels * g.outHeight * g.outWidth
        for kernel in GEMMKernelTests.kernels where mk_kernel_available(kernel) == 1 {
            var dw = [Float](repeating: .nan, count: expected.count)
            let status = mk_winograd_f2x3_filter_gradient(
                kernel, batch, g.channels, g.outChannels, g.height, g.width, g.padding, x, sampleIn, dy, sampleOut,
                &dw)
            #expect(status == 1)
            // A sum of batch·OH·OW products of values in [−1, 1]; the transforms add a few ulps per term.
            let tolerance = 1e-5 * Double(batch * g.outHeight * g.outWidth).squareRoot() * 8
            let worst = zip(dw, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
            #expect(worst <= tolerance, "\(kernel): max error \(worst) > \(tolerance)")
        }
    }

    /// Tile blocks span samples, so a batch done in one call must equal its samples done one call each.
    @Test func aBatchEqualsItsSamplesOneByOne() throws {
        let g = Geometry(channels: 8, outChannels: 4, height: 5, width: 7, padding: 1)
        let batch = 5
        var generator = SeededGenerator(seed: 5)
        let x = Self.uniform(batch * g.channels * g.height * g.width, &generator)
        let w = Self.uniform(g.outChannels * g.channels * 9, &generator)
        var u = [Float](repeating: 0, count: 16 * g.outChannels * g.channels)
        mk_winograd_f2x3_filter(g.outChannels, g.channels, w, &u)
        let sampleIn = g.channels * g.height * g.width, sampleOut = g.outChannels * g.outHeight * g.outWidth
        let zeros = [Float](repeating: 0, count: batch * sampleOut)
        let whole = try #require(Self.winograd(kernel: "portable", g, batch: batch, x: x, u: u, beta: 0, y0: zeros))
        var one = zeros
        for s in 0..<batch {
            let sample = Array(x[(s * sampleIn)..<((s + 1) * sampleIn)])
            let y = try #require(
                Self.winograd(
                    kernel: "portable", g, batch: 1, x: sample, u: u, beta: 0,
                    y0: [Float](repeating: 0, count: sampleOut)))
            one.replaceSubrange((s * sampleOut)..<((s + 1) * sampleOut), with: y)
        }
        #expect(whole == one)
    }

    /// `conv2d` on 32 → 32 channels (where Winograd is on by default) for the forward pass and both gradients (the
    /// input gradient is itself a 3×3 stride-1 convolution, padded 2 − p), against the definition; odd sizes.
    @Test(arguments: [0, 1, 2])
    func conv2dAndItsGradientsMatchTheDefinition(padding: Int) {
        #expect(
            (mk_winograd_f2x3_applies(32, 32) == 1 && mk_winograd_f2x3_filter_gradient_applies(32, 32) == 1)
                || getenv("MIXUP_WINOGRAD") != nil,
            "32 channels take the Winograd paths by default")
        let x = randomTensor([2, 32, 7, 6], seed: 401)
        let filter = randomTensor([32, 32, 3, 3], seed: 402)
        let y = Tensor.conv2d(x, filter: filter, padding: padding)
        expectClose(y, naiveConv2d(x, filter, bias: nil, stride: 1, padding: padding, groups: 1), tolerance: 1e-4)
        let upstream = randomTensor(y.shape, seed: 403)
        let (_, gradients) = valueWithGradients(at: [x, filter]) {
            (Tensor.conv2d($0[0], filter: $0[1], padding: padding) * upstream).sum()
        }
        let expected = ImplicitConvolutionGEMMTests.naiveGradients(
            x: x, filter: filter, upstream: upstream, stride: 1, padding: padding, groups: 1)
        expectClose(gradients[0].scalars, expected.input, tolerance: 2e-4)
        expectClose(gradients[1].scalars, expected.filter, tolerance: 2e-4)
    }

    @Test func anUnknownKernelComputesNothing() {
        var y: [Float] = [7]
        let status = mk_winograd_f2x3_conv(
            "no-such-kernel", 1, 1, 1, 3, 3, 0, [Float](repeating: 1, count: 16), [Float](repeating: 1, count: 9), 9, 0,
            &y, 1)
        #expect(status == 0)
        #expect(y == [7])
    }
}
