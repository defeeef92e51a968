import MixupNN
import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct PoolingTests {
    private func run(_ layer: some Layer, _ x: Tensor) -> Tensor {
        var context = ForwardContext.inference
        return layer(x, context: &context)
    }

    @Test func maxPoolTakesWindowMaxima() {
        let x = Tensor(shape: [1, 1, 4, 4], scalars: (0..<16).map { Float(($0 * 7) % 16) })
        // Rows: [0 7 14 5] [12 3 10 1] [8 15 6 13] [4 11 2 9].
        let y = run(MaxPool2D(kernelSize: 2), x)
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.scalars == [12, 14, 15, 13])
        let overlapping = run(MaxPool2D(kernelSize: 3, stride: 1), x)
        #expect(overlapping.scalars == [15, 15, 15, 15])
        let padded = run(MaxPool2D(kernelSize: 3, stride: 2, padding: 1), x)
        #expect(padded.shape == [1, 1, 2, 2])
        #expect(padded.scalars == [12, 14, 15, 15])
    }

    @Test func avgPoolAveragesWindowsCountingPadding() {
        let x = Tensor(shape: [1, 1, 2, 4], scalars: [1, 2, 3, 4, 5, 6, 7, 8])
        let y = run(AvgPool2D(kernelSize: 2), x)
        #expect(y.scalars == [3.5, 5.5])
        let padded = run(AvgPool2D(kernelSize: 2, stride: 2, padding: 1), x)
        // Windows: {1}, {2,3}, {4} on top; {5}, {6,7}, {8} at the bottom, each over 4 cells.
        #expect(padded.shape == [1, 1, 2, 3])
        expectClose(padded.scalars, [0.25, 1.25, 1, 1.25, 3.25, 2])
    }

    @Test func globalAvgPoolAndFlattenShapes() {
        let x = randomTensor([2, 3, 4, 5], seed: 1)
        let pooled = run(GlobalAvgPool(), x)
        #expect(pooled.shape == [2, 3])
        var expected: [Float] = []
        for plane in 0..<6 { expected.append(x.scalars[(plane * 20)..<(plane * 20 + 20)].reduce(0, +) / 20) }
        expectClose(pooled.scalars, expected)
        let flat = run(Flatten(), x)
        #expect(flat.shape == [2, 60])
        #expect(flat.scalars == x.scalars)
    }

    @Test func maxPoolGradientsMatchFiniteDifferences() {
        let x = distinctTensor([2, 2, 5, 5], seed: 2)
        expectLayerGradientsMatchFiniteDifferences(MaxPool2D(kernelSize: 2), input: x)
        expectLayerGradientsMatchFiniteDifferences(MaxPool2D(kernelSize: 3, stride: 2, padding: 1), input: x)
    }

    @Test func avgPoolGradientsMatchFiniteDifferences() {
        let x = randomTensor([2, 2, 5, 5], seed: 3)
        expectLayerGradientsMatchFiniteDifferences(AvgPool2D(kernelSize: 2), input: x)
        expectLayerGradientsMatchFiniteDifferences(AvgPool2D(kernelSize: 3, stride: 2, padding: 1), input: x)
    }

    @Test func globalAvgPoolAndFlattenGradientsMatchFiniteDifferences() {
        let x = randomTensor([2, 3, 3, 2], seed: 4)
        expectLayerGradientsMatchFiniteDifferences(GlobalAvgPool(), input: x)
        expectLayerGradientsMatchFiniteDifferences(Flatten(), input: x)
    }
}
