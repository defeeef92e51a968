import Foundation
import MixupNN
import MixupTensor
import Testing
import _MixupTestSupport

/// Per-channel mean and biased variance of a `[batch, channels]` or `[batch, channels, h, w]` tensor, in Double.
private func channelStatistics(_ x: Tensor) -> (mean: [Double], variance: [Double], count: Int) {
    let n = x.shape[0], c = x.shape[1]
    let spatial = x.rank == 4 ? x.shape[2] * x.shape[3] : 1
    var mean = [Double](repeating: 0, count: c)
    var variance = [Double](repeating: 0, count: c)
    for ch in 0..<c {
        var values: [Double] = []
        for s in 0..<n {
            for i in 0..<spatial { values.append(Double(x.scalars[(s * c + ch) * spatial + i])) }
        }
        let mu = values.reduce(0, +) / Double(values.count)
        mean[ch] = mu
        variance[ch] = values.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(values.count)
    }
    return (mean, variance, n * spatial)
}

@Suite struct BatchNormTests {
    /// Input with per-channel offsets and scales far from (0, 1).
    private func shiftedInput(_ shape: [Int], seed: UInt64) -> Tensor {
        let x = randomTensor(shape, seed: seed)
        let c = shape[1]
        let spatial = shape.count == 4 ? shape[2] * shape[3] : 1
        var scalars = x.scalars
        for i in scalars.indices {
            let ch = (i / spatial) % c
            scalars[i] = scalars[i] * Float(ch + 1) * 1.5 + Float(ch) * 3 - 2
        }
        return Tensor(shape: shape, scalars: scalars)
    }

    @Test(arguments: [[16, 3], [4, 3, 5, 5]])
    func trainingOutputIsStandardizedPerChannel(shape: [Int]) {
        let layer = BatchNorm(featureCount: 3)
        var context = ForwardContext(isTraining: true)
        let y = layer(shiftedInput(shape, seed: 1), context: &context)
        #expect(y.shape == shape)
        let (mean, variance, _) = channelStatistics(y)
        for ch in 0..<3 {
            #expect(abs(mean[ch]) < 1e-5)
            #expect(abs(variance[ch] - 1) < 1e-3)
        }
    }

    @Test func scaleAndOffsetApplyPerChannel() {
        let layer = BatchNorm(featureCount: 2)
        layer.scale.value = Tensor([2, 0.5])
        layer.offset.value = Tensor([1, -3])
        var context = ForwardContext(isTraining: true)
        let y = layer(shiftedInput([3, 2, 2, 2], seed: 2), context: &context)
        let (mean, variance, _) = channelStatistics(y)
        #expect(abs(mean[0] - 1) < 1e-5 && abs(mean[1] + 3) < 1e-5)
        #expect(abs(variance[0] - 4) < 1e-2 && abs(variance[1] - 0.25) < 1e-3)
    }

    @Test(arguments: [[10, 3], [3, 3, 2, 4]])
    func runningStatisticsUpdateWithMomentumAndUnbiasedVariance(shape: [Int]) {
        let momentum: Float = 0.2
        let layer = BatchNorm(featureCount: 3, momentum: momentum)
        #expect(layer.runningMean.value.scalars == [0, 0, 0])
        #expect(layer.runningVariance.value.scalars == [1, 1, 1])

        var expectedMean = [Double](repeating: 0, count: 3)
        var expectedVariance = [Double](repeating: 1, count: 3)
        for seed: UInt64 in [3, 4] {
            let x = shiftedInput(shape, seed: seed)
            var context = ForwardContext(isTraining: true)
            _ = layer(x, context: &context)
            let (mean, variance, m) = channelStatistics(x)
            let m1 = Double(momentum)
            for ch in 0..<3 {
                expectedMean[ch] = (1 - m1) * expectedMean[ch] + m1 * mean[ch]
                expectedVariance[ch] = (1 - m1) * expectedVariance[ch] + m1 * variance[ch] * Double(m) / Double(m - 1)
            }
            expectClose(layer.runningMean.value.scalars, expectedMean.map(Float.init), tolerance: 1e-4)
            expectClose(layer.runningVariance.value.scalars, expectedVariance.map(Float.init), tolerance: 1e-3)
        }
    }

    @Test(arguments: [[5, 2], [2, 2, 3, 3]])
    func inferenceUsesRunningStatisticsAndLeavesThemUnchanged(shape: [Int]) {
        let layer = BatchNorm(featureCount: 2, epsilon: 1e-3)
        layer.runningMean.value = Tensor([0.5, -1])
        layer.runningVariance.value = Tensor([4, 0.25])
        layer.scale.value = Tensor([2, 3])
        layer.offset.value = Tensor([0.1, -0.2])
        let x = shiftedInput(shape, seed: 5)
        let y = layer.inferring(x)
        let spatial = shape.count == 4 ? shape[2] * shape[3] : 1
        let mean: [Float] = [0.5, -1], variance: [Float] = [4, 0.25], scale: [Float] = [2, 3],
            offset: [Float] = [0.1, -0.2]
        let expected = x.scalars.indices.map { i -> Float in
            let ch = (i / spatial) % 2
            return (x.scalars[i] - mean[ch]) / (variance[ch] + 1e-3).squareRoot() * scale[ch] + offset[ch]
        }
        expectClose(y.scalars, expected, tolerance: 1e-4)
        #expect(layer.runningMean.value.scalars == [0.5, -1])
        #expect(layer.runningVariance.value.scalars == [4, 0.25])
        // A single sample is fine in inference.
        #expect(layer.inferring(x.slice(0..<1)).shape[0] == 1)
    }

    @Test func buffersAreNamedAndSeparateFromParameters() {
        let layer = BatchNorm(featureCount: 4)
        #expect(layer.namedParameters().map(\.name) == ["weight", "bias"])
        #expect(layer.namedBuffers().map(\.name) == ["running_mean", "running_var"])
        #expect(layer.namedBuffers()[0].buffer === layer.runningMean)
        #expect(layer.namedBuffers()[1].buffer === layer.runningVariance)
        #expect(layer.parameterCount == 8)
        var generator = SeededGenerator(seed: 6)
        let model = Sequential([Linear(inputSize: 2, outputSize: 4, using: &generator), BatchNorm(featureCount: 4)])
        #expect(model.namedBuffers().map(\.name) == ["1.running_mean", "1.running_var"])
        #expect(model.namedParameters().map(\.name) == ["0.weight", "0.bias", "1.weight", "1.bias"])
    }

    @Test(arguments: [[6, 3], [2, 3, 3, 3]])
    func trainingGradientsMatchFiniteDifferences(shape: [Int]) {
        let layer = BatchNorm(featureCount: 3)
        layer.scale.value = Tensor([1.5, 0.5, -1])
        layer.offset.value = Tensor([0.2, -0.3, 0])
        expectLayerGradientsMatchFiniteDifferences(layer, input: shiftedInput(shape, seed: 7), isTraining: true)
    }

    @Test(arguments: [[4, 3], [2, 3, 2, 2]])
    func inferenceGradientsMatchFiniteDifferences(shape: [Int]) {
        let layer = BatchNorm(featureCount: 3)
        layer.runningMean.value = Tensor([0.5, 1, -1])
        layer.runningVariance.value = Tensor([2, 0.5, 1])
        layer.scale.value = Tensor([1.5, 0.5, -1])
        expectLayerGradientsMatchFiniteDifferences(layer, input: shiftedInput(shape, seed: 8), isTraining: false)
    }

    @Test(arguments: [[16, 3], [4, 3, 5, 5]])
    func normalizedReLUMatchesTheLayerThenReLU(shape: [Int]) {
        let c = shape[1]
        let x = shiftedInput(shape, seed: 131)
        let fused = BatchNorm(featureCount: c), plain = BatchNorm(featureCount: c)
        for layer in [fused, plain] {
            layer.scale.value = Tensor(shape: [c], scalars: (0..<c).map { 0.5 + Float($0) * 0.4 })
            layer.offset.value = Tensor(shape: [c], scalars: (0..<c).map { 0.3 - Float($0) * 0.3 })
        }
        var context = ForwardContext(isTraining: true)
        let (fusedValue, fusedInputGradient) = valueWithGradients(at: [x]) {
            projected(fused.normalizedReLU($0[0], context: &context))
        }
        let (plainValue, plainInputGradient) = valueWithGradients(at: [x]) {
            projected(plain($0[0], context: &context).relu())
        }
        expectClose(fusedValue, plainValue, tolerance: 1e-5)
        expectClose(fusedInputGradient[0], plainInputGradient[0], tolerance: 1e-4)
        for (a, b) in [(fused.scale, plain.scale), (fused.offset, plain.offset)] {
            #expect(a.gradient != nil && b.gradient != nil)
            if let ga = a.gradient, let gb = b.gradient { expectClose(ga, gb, tolerance: 1e-4) }
        }
        expectClose(fused.runningMean.value, plain.runningMean.value, tolerance: 0)
        expectClose(fused.runningVariance.value, plain.runningVariance.value, tolerance: 0)
        // Inference: running statistics folded into one affine map, then the ReLU.
        var inference = ForwardContext(isTraining: false)
        let fusedInference = withoutGradients { fused.normalizedReLU(x, context: &inference) }
        let plainInference = withoutGradients { plain(x, context: &inference).relu() }
        expectClose(fusedInference, plainInference, tolerance: 1e-5)
        #expect(fusedInference.scalars.contains(0) && fusedInference.scalars.contains { $0 > 0 })
    }

    @Test func sequentialFusesBatchNormFollowedByReLU() {
        let x = shiftedInput([4, 3, 5, 5], seed: 132)
        let norm = BatchNorm(featureCount: 3)
        norm.offset.value = Tensor(shape: [3], scalars: [0.2, -0.4, 0])
        let model = Sequential([norm, ReLU()])
        var context = ForwardContext(isTraining: true)
        let fused = model(x, context: &context)
        let reference = BatchNorm(featureCount: 3)
        reference.offset.value = norm.offset.value
        let composite = reference(x, context: &context).relu()
        expectClose(fused, composite, tolerance: 1e-5)
        // Stopping between the two layers (a mix point there) runs them separately, with the same result.
        let split = model.forward(
            model.forward(x, from: 0, to: 1, context: &context), from: 1, to: 2, context: &context)
        expectClose(split, composite, tolerance: 1e-5)
    }
}
