import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct TensorNormalizationTests {
    @Test func standardizesEachChannel() {
        let x = Tensor(shape: [3, 2], scalars: [1, 10, 2, 20, 3, 30])
        let (y, mean, variance) = x.batchStandardized(epsilon: 0)
        expectClose(mean, [2, 20])
        expectClose(variance, [2.0 / 3, 200.0 / 3], tolerance: 1e-4)
        let s = Float(1.5).squareRoot()
        expectClose(y, Tensor(shape: [3, 2], scalars: [-s, -s, 0, 0, s, s]), tolerance: 1e-5)
    }

    @Test func imageStatisticsArePerChannel() {
        let x = randomTensor([3, 2, 2, 3], seed: 111, lower: -2, upper: 5)
        let (y, mean, variance) = x.batchStandardized()
        for c in 0..<2 {
            var values: [Float] = []
            var normalized: [Float] = []
            for n in 0..<3 {
                for i in 0..<2 {
                    for j in 0..<3 {
                        values.append(x[n, c, i, j])
                        normalized.append(y[n, c, i, j])
                    }
                }
            }
            let mu = values.reduce(0, +) / Float(values.count)
            let v = values.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Float(values.count)
            #expect(abs(mean[c] - mu) < 1e-5)
            #expect(abs(variance[c] - v) < 1e-4)
            let outMean = normalized.reduce(0, +) / Float(normalized.count)
            let outVariance = normalized.map { ($0 - outMean) * ($0 - outMean) }.reduce(0, +) / Float(normalized.count)
            #expect(abs(outMean) < 1e-5)
            #expect(abs(outVariance - v / (v + 1e-5)) < 1e-4)
        }
    }

    @Test func gradients() {
        let flat = randomTensor([4, 3], seed: 112, lower: -2, upper: 2)
        expectGradientsMatchFiniteDifferences(at: [flat]) { weightedSum($0[0].batchStandardized().normalized) }
        let image = randomTensor([2, 2, 2, 3], seed: 113, lower: -2, upper: 2)
        expectGradientsMatchFiniteDifferences(at: [image]) { weightedSum($0[0].batchStandardized().normalized) }
        // With an affine transform after it, as in a batch-norm layer.
        let gamma = randomTensor([1, 2, 1, 1], seed: 114, lower: 0.5, upper: 1.5)
        let beta = randomTensor([1, 2, 1, 1], seed: 115)
        expectGradientsMatchFiniteDifferences(at: [image, gamma, beta]) {
            weightedSum(($0[0].batchStandardized().normalized * $0[1] + $0[2]).squared())
        }
    }

    @Test func fusedBatchNormReLUGradients() {
        // Offsets keep some outputs positive and some clamped; a step of 1e-3 stays clear of the kink.
        let image = randomTensor([2, 2, 2, 3], seed: 116, lower: -2, upper: 2)
        let gamma = randomTensor([2], seed: 117, lower: 0.5, upper: 1.5)
        let beta = randomTensor([2], seed: 118, lower: -0.3, upper: 0.3)
        expectGradientsMatchFiniteDifferences(at: [image, gamma, beta], step: 1e-3, absoluteTolerance: 5e-3) {
            weightedSum($0[0].batchNormalizedReLU(scale: $0[1], offset: $0[2]).output)
        }
        let flat = randomTensor([5, 3], seed: 119, lower: -2, upper: 2)
        let gamma3 = randomTensor([3], seed: 120, lower: 0.5, upper: 1.5)
        let beta3 = randomTensor([3], seed: 121, lower: -0.3, upper: 0.3)
        expectGradientsMatchFiniteDifferences(at: [flat, gamma3, beta3], step: 1e-3, absoluteTolerance: 5e-3) {
            weightedSum($0[0].batchNormalizedReLU(scale: $0[1], offset: $0[2]).output)
        }
    }

    @Test(arguments: [[7, 3], [3, 4, 5, 3]])
    func fusedBatchNormReLUMatchesTheComposite(shape: [Int]) {
        let c = shape[1]
        let x = randomTensor(shape, seed: 122, lower: -3, upper: 2)
        let gamma = randomTensor([c], seed: 123, lower: 0.5, upper: 1.5)
        let beta = randomTensor([c], seed: 124, lower: -0.5, upper: 0.5)
        let (fusedValue, fusedGradients) = valueWithGradients(at: [x, gamma, beta]) {
            weightedSum($0[0].batchNormalizedReLU(scale: $0[1], offset: $0[2]).output)
        }
        let (compositeValue, compositeGradients) = valueWithGradients(at: [x, gamma, beta]) {
            weightedSum($0[0].batchNormalized(scale: $0[1], offset: $0[2]).output.relu())
        }
        expectClose(fusedValue, compositeValue, tolerance: 1e-5)
        for (a, b) in zip(fusedGradients, compositeGradients) { expectClose(a, b, tolerance: 1e-5) }
        let fused = x.batchNormalizedReLU(scale: gamma, offset: beta)
        let composite = x.batchNormalized(scale: gamma, offset: beta)
        expectClose(fused.output, composite.output.relu(), tolerance: 1e-6)
        expectClose(fused.mean, composite.mean, tolerance: 0)
        expectClose(fused.variance, composite.variance, tolerance: 0)
        #expect(fused.output.scalars.contains(0) && fused.output.scalars.contains { $0 > 0 })
    }

    @Test func channelAffineReLUMatchesTheComposite() {
        let x = randomTensor([3, 2, 3, 3], seed: 125, lower: -2, upper: 2)
        let scale: [Float] = [1.5, -0.7], shift: [Float] = [0.2, -0.1]
        let (fusedValue, fused) = valueWithGradients(at: [x]) {
            weightedSum($0[0].channelAffineReLU(scale: scale, shift: shift))
        }
        let (compositeValue, composite) = valueWithGradients(at: [x]) {
            weightedSum($0[0].channelAffine(scale: scale, shift: shift).relu())
        }
        expectClose(fusedValue, compositeValue, tolerance: 1e-6)
        expectClose(fused[0], composite[0], tolerance: 1e-6)
        expectGradientsMatchFiniteDifferences(at: [x], step: 1e-3) {
            weightedSum($0[0].channelAffineReLU(scale: scale, shift: shift))
        }
    }

    @Test func fusedBatchNormReLUPropagatesNaN() {
        var scalars = randomTensor([4, 2], seed: 126).scalars
        scalars[0] = .nan
        let y = Tensor(shape: [4, 2], scalars: scalars).batchNormalizedReLU(scale: .ones([2]), offset: .zeros([2]))
        #expect(y.output.scalars[0].isNaN && y.output.scalars[2].isNaN, "channel 0 is NaN, as in the composite")
        #expect(!y.output.scalars[1].isNaN)
    }
    /// `[batch, features]` inputs take a row-wise path; it must agree with the per-plane path on the same numbers laid
    /// out as `[1, features, batch, 1]` (one plane per feature), forward and backward, with and without the ReLU.
    @Test(arguments: [false, true])
    func rowLayoutMatchesThePlaneLayout(relu: Bool) {
        let n = 37, c = 70
        let rows = randomTensor([n, c], seed: 127, lower: -2, upper: 3)
        var planeScalars = [Float](repeating: 0, count: n * c)
        for s in 0..<n { for ch in 0..<c { planeScalars[ch * n + s] = rows.scalars[s * c + ch] } }
        let planes = Tensor(shape: [1, c, n, 1], scalars: planeScalars)
        let gamma = randomTensor([c], seed: 128, lower: 0.5, upper: 1.5)
        let beta = randomTensor([c], seed: 129, lower: -0.5, upper: 0.5)
        let weights = randomTensor([n, c], seed: 130)
        func normalized(_ x: Tensor, _ g: Tensor, _ b: Tensor) -> Tensor {
            relu ? x.batchNormalizedReLU(scale: g, offset: b).output : x.batchNormalized(scale: g, offset: b).output
        }
        let (rowValue, rowGradients) = valueWithGradients(at: [rows, gamma, beta]) {
            (normalized($0[0], $0[1], $0[2]) * weights).sum()
        }
        var planeWeights = [Float](repeating: 0, count: n * c)
        for s in 0..<n { for ch in 0..<c { planeWeights[ch * n + s] = weights.scalars[s * c + ch] } }
        let planeWeightTensor = Tensor(shape: [1, c, n, 1], scalars: planeWeights)
        let (planeValue, planeGradients) = valueWithGradients(at: [planes, gamma, beta]) {
            (normalized($0[0], $0[1], $0[2]) * planeWeightTensor).sum()
        }
        expectClose(rowValue, planeValue, tolerance: 1e-3)  // a sum of 2,590 terms: float reduction order
        for s in 0..<n {
            for ch in 0..<c {
                #expect(abs(rowGradients[0].scalars[s * c + ch] - planeGradients[0].scalars[ch * n + s]) < 1e-4)
            }
        }
        expectClose(rowGradients[1], planeGradients[1], tolerance: 1e-4)
        expectClose(rowGradients[2], planeGradients[2], tolerance: 1e-4)
        let rowStats = rows.batchNormalized(scale: gamma, offset: beta)
        let planeStats = planes.batchNormalized(scale: gamma, offset: beta)
        expectClose(rowStats.mean, planeStats.mean, tolerance: 1e-5)
        expectClose(rowStats.variance, planeStats.variance, tolerance: 1e-4)
    }
}
