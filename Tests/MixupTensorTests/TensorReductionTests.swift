import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct TensorReductionTests {
    let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])

    @Test func sumAndMeanOfAll() {
        #expect(x.sum().shape == [])
        #expect(x.sum().scalar == 21)
        #expect(x.mean().scalar == 3.5)
        #expect(Tensor.zeros([0]).sum().scalar == 0)
    }

    @Test func sumAlongAxes() {
        #expect(x.sum(alongAxes: [0]).shape == [3])
        #expect(x.sum(alongAxes: [0]).scalars == [5, 7, 9])
        #expect(x.sum(alongAxes: [1]).scalars == [6, 15])
        #expect(x.sum(alongAxes: [-1]).scalars == [6, 15])
        #expect(x.sum(alongAxes: [0, 1]).shape == [])
        #expect(x.sum(alongAxes: [0, 1]).scalar == 21)
        #expect(x.sum(alongAxes: [1], keepingDimensions: true).shape == [2, 1])
        #expect(x.sum(alongAxes: [0], keepingDimensions: true).shape == [1, 3])
        #expect(x.sum(alongAxes: []).scalars == x.scalars)

        let cube = Tensor(shape: [2, 2, 2], scalars: (0..<8).map(Float.init))
        #expect(cube.sum(alongAxes: [0, 2]).scalars == [10, 18])  // 0+1+4+5, 2+3+6+7
        #expect(cube.sum(alongAxes: [1], keepingDimensions: true).shape == [2, 1, 2])
        #expect(cube.sum(alongAxes: [1], keepingDimensions: true).scalars == [2, 4, 10, 12])
    }

    @Test func meanAlongAxes() {
        #expect(x.mean(alongAxes: [0]).scalars == [2.5, 3.5, 4.5])
        #expect(x.mean(alongAxes: [1]).scalars == [2, 5])
        #expect(x.mean(alongAxes: [1], keepingDimensions: true).shape == [2, 1])
        #expect(x.mean(alongAxes: [0, 1]).scalar == 3.5)
    }

    @Test func maxAndArgmax() {
        let t = Tensor(shape: [2, 3], scalars: [1, 9, 3, 7, 5, 6])
        #expect(t.max(alongAxis: 1).scalars == [9, 7])
        #expect(t.max(alongAxis: 0).scalars == [7, 9, 6])
        #expect(t.max(alongAxis: -1, keepingDimensions: true).shape == [2, 1])
        #expect(t.argmax(alongAxis: 1) == [1, 0])
        #expect(t.argmax(alongAxis: 0) == [1, 0, 1])
        // Ties go to the first maximum, in value and gradient.
        #expect(Tensor([2, 5, 5]).argmax(alongAxis: 0) == [1])
        let (_, gradients) = valueWithGradients(at: [Tensor([2, 5, 5])]) { $0[0].max(alongAxis: 0).sum() }
        #expect(gradients[0].scalars == [0, 1, 0])
    }

    @Test func sumAndMeanGradients() {
        let a = randomTensor([2, 3, 4], seed: 41)
        expectGradientsMatchFiniteDifferences(at: [a]) { $0[0].sum() }
        expectGradientsMatchFiniteDifferences(at: [a]) { $0[0].mean().scaled(by: 3) }
        for axes in [[0], [1], [2], [-1], [0, 2], [0, 1, 2]] {
            for keep in [false, true] {
                expectGradientsMatchFiniteDifferences(at: [a]) {
                    weightedSum($0[0].sum(alongAxes: axes, keepingDimensions: keep))
                }
                expectGradientsMatchFiniteDifferences(at: [a]) {
                    weightedSum($0[0].mean(alongAxes: axes, keepingDimensions: keep))
                }
            }
        }
    }

    @Test func alongAxesReductionsAreTracked() throws {
        let p = Parameter(x)
        #expect(p.tracked.sum(alongAxes: [0]).requiresGradient)
        #expect(p.tracked.mean(alongAxes: [1], keepingDimensions: true).requiresGradient)
        (p.tracked.mean(alongAxes: [1]) * Tensor([1, 2])).sum().backward()
        expectClose(try #require(p.gradient), Tensor(shape: [2, 3], scalars: [1, 1, 1, 2, 2, 2].map { $0 / 3 }))
    }

    @Test func maxGradient() {
        let a = distinctTensor([2, 3, 4], seed: 42)
        for axis in [0, 1, 2, -1] {
            for keep in [false, true] {
                expectGradientsMatchFiniteDifferences(at: [a]) {
                    weightedSum($0[0].max(alongAxis: axis, keepingDimensions: keep))
                }
            }
        }
    }
}
