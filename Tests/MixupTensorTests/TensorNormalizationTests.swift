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
}
