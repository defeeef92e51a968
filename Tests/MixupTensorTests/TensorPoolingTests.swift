import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct TensorPoolingTests {
    /// 1×1×4×4 image holding 1…16.
    let image = Tensor(shape: [1, 1, 4, 4], scalars: (1...16).map(Float.init))

    @Test func maxPoolValues() {
        let y = image.maxPool2d(kernelSize: 2)
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.scalars == [6, 8, 14, 16])
        let overlapping = image.maxPool2d(kernelSize: 3, stride: 1)
        #expect(overlapping.scalars == [11, 12, 15, 16])
        let padded = image.maxPool2d(kernelSize: 3, stride: 2, padding: 1)
        #expect(padded.shape == [1, 1, 2, 2])
        #expect(padded.scalars == [6, 8, 14, 16])
        // Padding counts as −∞, not 0: an all-negative image keeps its values.
        let negative = Tensor(shape: [1, 1, 2, 2], scalars: [-1, -2, -3, -4]).maxPool2d(
            kernelSize: 2, stride: 1, padding: 1)
        #expect(negative.scalars == [-1, -1, -2, -1, -1, -2, -3, -3, -4])
    }

    @Test func avgPoolValues() {
        let y = image.avgPool2d(kernelSize: 2)
        #expect(y.scalars == [3.5, 5.5, 11.5, 13.5])
        // Padding cells count as zeros in the divisor (count_include_pad).
        let padded = image.avgPool2d(kernelSize: 3, stride: 2, padding: 1)
        #expect(padded.shape == [1, 1, 2, 2])
        expectClose(padded, Tensor(shape: [1, 1, 2, 2], scalars: [14.0 / 9, 30.0 / 9, 57.0 / 9, 99.0 / 9]))
    }

    @Test func poolsEveryPlaneSeparately() {
        let x = randomTensor([2, 3, 4, 4], seed: 101)
        let y = x.maxPool2d(kernelSize: 2)
        #expect(y.shape == [2, 3, 2, 2])
        for n in 0..<2 {
            for c in 0..<3 {
                for oy in 0..<2 {
                    for ox in 0..<2 {
                        let window = [
                            x[n, c, 2 * oy, 2 * ox], x[n, c, 2 * oy, 2 * ox + 1], x[n, c, 2 * oy + 1, 2 * ox],
                            x[n, c, 2 * oy + 1, 2 * ox + 1],
                        ]
                        #expect(y[n, c, oy, ox] == window.max()!)
                    }
                }
            }
        }
    }

    @Test func globalAveragePool() {
        let x = randomTensor([2, 3, 2, 3], seed: 102)
        let y = x.globalAveragePooled()
        #expect(y.shape == [2, 3])
        for n in 0..<2 {
            for c in 0..<3 {
                var total: Float = 0
                for i in 0..<2 { for j in 0..<3 { total += x[n, c, i, j] } }
                #expect(abs(y[n, c] - total / 6) < 1e-6)
            }
        }
    }

    @Test func gradients() {
        let x = distinctTensor([2, 2, 4, 5], seed: 103)
        expectGradientsMatchFiniteDifferences(at: [x]) { weightedSum($0[0].maxPool2d(kernelSize: 2)) }
        expectGradientsMatchFiniteDifferences(at: [x]) { weightedSum($0[0].maxPool2d(kernelSize: 3, stride: 1)) }
        expectGradientsMatchFiniteDifferences(at: [x]) {
            weightedSum($0[0].maxPool2d(kernelSize: 3, stride: 2, padding: 1))
        }
        expectGradientsMatchFiniteDifferences(at: [x]) { weightedSum($0[0].avgPool2d(kernelSize: 2)) }
        expectGradientsMatchFiniteDifferences(at: [x]) {
            weightedSum($0[0].avgPool2d(kernelSize: 3, stride: 1, padding: 1))
        }
        expectGradientsMatchFiniteDifferences(at: [x]) {
            weightedSum($0[0].avgPool2d(kernelSize: 3, stride: 2, padding: 1))
        }
        expectGradientsMatchFiniteDifferences(at: [x]) { weightedSum($0[0].globalAveragePooled()) }
    }

    @Test func globalAveragePoolIsTracked() {
        // Regression: it is a mean along axes, which went through the untracked summed(toShape:).
        let p = Parameter(Tensor.ones([1, 2, 2, 2]))
        let pooled = p.tracked.globalAveragePooled()
        #expect(pooled.requiresGradient)
        pooled.sum().backward()
        #expect(p.gradient?.scalars == [Float](repeating: 0.25, count: 8))
    }

    @Test func windowLargerThanPaddedInputStops() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros([1, 1, 2, 2]).avgPool2d(kernelSize: 3, stride: 2)
        }
    }

    /// The vectorised 2×2/2 path (8 windows at a time) against the definition: values with ties (rounded to halves)
    /// and NaNs, widths with and without a scalar tail; the gradient goes to the first maximal element, or the last
    /// NaN, of each window.
    @Test(arguments: [16, 17, 34])
    func twoByTwoMaxPoolMatchesTheDefinitionWithTiesAndNaN(width: Int) {
        var generator = SeededGenerator(seed: UInt64(width))
        let (n, c, h) = (2, 3, 6)
        var values = Tensor.uniform([n * c * h * width], lower: -2, upper: 2, using: &generator).scalars.map {
            ($0 * 2).rounded() / 2
        }
        for i in stride(from: 5, to: values.count, by: 23) { values[i] = .nan }
        let x = Tensor(shape: [n, c, h, width], scalars: values)
        let (oh, ow) = (h / 2, width / 2)
        var expected = [Float](), winners = [Int]()
        for plane in 0..<(n * c) {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var best = -Float.infinity, winner = -1
                    for (dy, dx) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                        let index = plane * h * width + (2 * oy + dy) * width + 2 * ox + dx
                        if winner < 0 || values[index] > best || values[index].isNaN {
                            (best, winner) = (values[index], index)
                        }
                    }
                    expected.append(best)
                    winners.append(winner)
                }
            }
        }
        let y = x.maxPool2d(kernelSize: 2)
        #expect(y.shape == [n, c, oh, ow])
        #expect(zip(y.scalars, expected).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        let upstream = Tensor.uniform([n * c * oh * ow], lower: 1, upper: 2, using: &generator).scalars
        let (_, gradients) = valueWithGradients(at: [x]) {
            ($0[0].maxPool2d(kernelSize: 2) * Tensor(shape: [n, c, oh, ow], scalars: upstream)).sum()
        }
        var expectedGradient = [Float](repeating: 0, count: values.count)
        for (o, winner) in winners.enumerated() { expectedGradient[winner] += upstream[o] }
        #expect(gradients[0].scalars == expectedGradient)
    }
}
