@_spi(MixupEngine) import MixupTensor
import Testing
import _MixupTestSupport

/// The multi-threaded paths (conv2d split over samples, fused BatchNorm over channels, chunked elementwise work) only
/// run on tensors large enough to pay for the hand-off, which the small gradient-check shapes never reach. These
/// tests use shapes above the threshold and compare with the single-threaded path (itself gradient-checked) and with
/// naive references.
@Suite(.serialized) struct ParallelKernelTests {
    /// Runs `body` with `threads` kernel threads, restoring the previous count.
    static func withThreads<T>(_ threads: Int, _ body: () -> T) -> T {
        let previous = ComputeThreads.count
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(previous) }
        return body()
    }

    /// Forward value and gradients of Σ R ⊙ f(inputs) for a fixed random R.
    static func valueAndGradients(_ inputs: [Tensor], _ f: ([Tensor]) -> Tensor) -> (Tensor, [Tensor]) {
        var generator = SeededGenerator(seed: 99)
        var weights: Tensor? = nil
        let (_, gradients) = valueWithGradients(at: inputs) { xs in
            let y = f(xs)
            if weights == nil { weights = Tensor.uniform(y.shape, lower: -1, upper: 1, using: &generator) }
            return (y * (weights ?? y)).sum()
        }
        return (withoutGradients { f(inputs) }, gradients)
    }

    @Test func normalDrawsEqualSequentialNextNormalBitForBit() {
        // 5,000 draws: above the threshold at which the transforms are split over threads.
        var reference = SeededGenerator(seed: 17)
        let expected = (0..<5000).map { _ in Float(0.25) + 1.5 * Float(reference.nextNormal()) }
        for threads in [1, 2, 4] {
            Self.withThreads(threads) {
                var generator = SeededGenerator(seed: 17)
                var draws = NormalDraws(capacity: 5000)
                draws.draw(1000, using: &generator)
                draws.draw(4000, using: &generator)
                #expect(draws.count == 5000)
                var values = [Float](repeating: 0.25, count: 5000)
                values.withUnsafeMutableBufferPointer { draws.add(scaledBy: 1.5, to: $0.baseAddress!) }
                #expect(values == expected, "\(threads) threads")
                var after = reference
                #expect(generator.next() == after.next(), "\(threads) threads: the generator advanced differently")
                var again = SeededGenerator(seed: 17)
                let tensor = Tensor.normal([50, 100], mean: 0.25, standardDeviation: 1.5, using: &again)
                #expect(tensor.scalars == expected, "Tensor.normal, \(threads) threads")
            }
        }
        var generator = SeededGenerator(seed: 1)
        #expect(Tensor.normal([0, 3], using: &generator).shape == [0, 3])
    }

    @Test func chunksCoverTheRangeExactlyOnce() {
        var seen = [Int](repeating: 0, count: 1000)
        seen.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress
            Parallel.forEachChunk(1000, chunks: 7) { _, range in
                for i in range { base?[i] += 1 }
            }
        }
        #expect(seen.allSatisfy { $0 == 1 })
        #expect(Parallel.chunkCount(10, costPerItem: 1) == 1, "tiny work stays on the calling thread")
    }

    @Test(arguments: [(1, 1), (2, 1), (1, 2)])
    func largeConvolutionMatchesNaiveAndSingleThreadedGradients(stride: Int, groups: Int) {
        var generator = SeededGenerator(seed: 7)
        let x = Tensor.normal([6, 4, 16, 16], using: &generator)
        let f = Tensor.normal([8, 4 / groups, 3, 3], standardDeviation: 0.3, using: &generator)
        let b = Tensor.normal([8], using: &generator)
        let conv: ([Tensor]) -> Tensor = {
            Tensor.conv2d($0[0], filter: $0[1], bias: $0[2], stride: stride, padding: 1, groups: groups)
        }
        let (parallelValue, parallelGradients) = Self.withThreads(2) { Self.valueAndGradients([x, f, b], conv) }
        let (serialValue, serialGradients) = Self.withThreads(1) { Self.valueAndGradients([x, f, b], conv) }
        expectClose(
            parallelValue, naiveConv2d(x, f, bias: b, stride: stride, padding: 1, groups: groups), tolerance: 1e-4)
        expectClose(parallelValue, serialValue, tolerance: 1e-5)
        for (p, s) in zip(parallelGradients, serialGradients) { expectClose(p, s, tolerance: 1e-3) }
    }

    @Test func fusedBatchNormMatchesTheComposite() {
        var generator = SeededGenerator(seed: 8)
        let x = Tensor.normal([16, 8, 10, 10], mean: 0.5, standardDeviation: 2, using: &generator)
        let scale = Tensor.uniform([8], lower: 0.5, upper: 1.5, using: &generator)
        let offset = Tensor.normal([8], using: &generator)
        let fused: ([Tensor]) -> Tensor = { $0[0].batchNormalized(scale: $0[1], offset: $0[2]).output }
        let composite: ([Tensor]) -> Tensor = {
            $0[0].batchStandardized().normalized * $0[1].reshaped(to: [1, 8, 1, 1]) + $0[2].reshaped(to: [1, 8, 1, 1])
        }
        let (fusedValue, fusedGradients) = Self.withThreads(2) { Self.valueAndGradients([x, scale, offset], fused) }
        let (compositeValue, compositeGradients) = Self.withThreads(1) {
            Self.valueAndGradients([x, scale, offset], composite)
        }
        expectClose(fusedValue, compositeValue, tolerance: 1e-4)
        for (a, b) in zip(fusedGradients, compositeGradients) { expectClose(a, b, tolerance: 1e-3) }
    }

    @Test(arguments: [1, 2])
    func largeConvolutionWithResidualMatchesTheSumAndIsIdenticalAcrossThreadCounts(stride: Int) {
        var generator = SeededGenerator(seed: 11)
        let x = Tensor.normal([6, 4, 15, 15], using: &generator)
        let f = Tensor.normal([8, 4, 3, 3], standardDeviation: 0.3, using: &generator)
        let side = (15 + 2 - 3) / stride + 1
        let r = Tensor.normal([6, 8, side, side], using: &generator)
        let fused: ([Tensor]) -> Tensor = {
            Tensor.conv2d($0[0], filter: $0[1], stride: stride, padding: 1, residual: $0[2])
        }
        let composite: ([Tensor]) -> Tensor = {
            Tensor.conv2d($0[0], filter: $0[1], stride: stride, padding: 1) + $0[2]
        }
        let (twoValue, twoGradients) = Self.withThreads(2) { Self.valueAndGradients([x, f, r], fused) }
        let (oneValue, oneGradients) = Self.withThreads(1) { Self.valueAndGradients([x, f, r], fused) }
        let (compositeValue, compositeGradients) = Self.withThreads(2) { Self.valueAndGradients([x, f, r], composite) }
        expectClose(twoValue, oneValue, tolerance: 0)
        expectClose(twoGradients[0], oneGradients[0], tolerance: 0)
        expectClose(twoGradients[2], oneGradients[2], tolerance: 0)
        expectClose(twoValue, naiveConv2d(x, f, bias: nil, stride: stride, padding: 1, groups: 1) + r, tolerance: 1e-4)
        expectClose(twoValue, compositeValue, tolerance: 1e-5)
        for (a, b) in zip(twoGradients, compositeGradients) { expectClose(a, b, tolerance: 1e-4) }
    }

    @Test func fusedBatchNormReLUMatchesTheCompositeAndIsIdenticalAcrossThreadCounts() {
        var generator = SeededGenerator(seed: 10)
        let x = Tensor.normal([16, 8, 10, 10], mean: 0.2, standardDeviation: 2, using: &generator)
        let scale = Tensor.uniform([8], lower: 0.5, upper: 1.5, using: &generator)
        let offset = Tensor.normal([8], standardDeviation: 0.3, using: &generator)
        let fused: ([Tensor]) -> Tensor = { $0[0].batchNormalizedReLU(scale: $0[1], offset: $0[2]).output }
        let composite: ([Tensor]) -> Tensor = { $0[0].batchNormalized(scale: $0[1], offset: $0[2]).output.relu() }
        let (twoValue, twoGradients) = Self.withThreads(2) { Self.valueAndGradients([x, scale, offset], fused) }
        let (oneValue, oneGradients) = Self.withThreads(1) { Self.valueAndGradients([x, scale, offset], fused) }
        let (compositeValue, compositeGradients) = Self.withThreads(1) {
            Self.valueAndGradients([x, scale, offset], composite)
        }
        expectClose(twoValue, oneValue, tolerance: 0)
        for (a, b) in zip(twoGradients, oneGradients) { expectClose(a, b, tolerance: 0) }
        expectClose(twoValue, compositeValue, tolerance: 1e-5)
        for (a, b) in zip(twoGradients, compositeGradients) { expectClose(a, b, tolerance: 1e-3) }
    }

    @Test func largeElementwiseAndPoolingAgreeAcrossThreadCounts() {
        var generator = SeededGenerator(seed: 9)
        let x = Tensor.normal([8, 8, 32, 32], using: &generator)
        let y = Tensor.normal([1, 8, 1, 1], using: &generator)
        let op: ([Tensor]) -> Tensor = { ($0[0] * $0[1] + $0[0]).relu().maxPool2d(kernelSize: 2) }
        let (a, ga) = Self.withThreads(2) { Self.valueAndGradients([x, y], op) }
        let (b, gb) = Self.withThreads(1) { Self.valueAndGradients([x, y], op) }
        expectClose(a, b, tolerance: 1e-6)
        for (p, s) in zip(ga, gb) { expectClose(p, s, tolerance: 1e-3) }
    }
}
