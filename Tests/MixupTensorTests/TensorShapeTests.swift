import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct TensorShapeTests {
    let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])

    @Test func reshape() {
        #expect(x.reshaped(to: [3, 2]).shape == [3, 2])
        #expect(x.reshaped(to: [3, 2]).scalars == x.scalars)
        #expect(x.reshaped(to: [-1]).shape == [6])
        #expect(x.reshaped(to: [1, -1, 2]).shape == [1, 3, 2])
        #expect(Tensor.zeros([2, 3, 4, 5]).flattenedBatch().shape == [2, 60])
    }

    @Test func permuteAndTranspose() {
        let t = x.transposed()
        #expect(t.shape == [3, 2])
        #expect(t.scalars == [1, 4, 2, 5, 3, 6])
        let cube = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))
        let p = cube.permuted([2, 0, 1])
        #expect(p.shape == [4, 2, 3])
        for i in 0..<2 {
            for j in 0..<3 {
                for k in 0..<4 { #expect(p[k, i, j] == cube[i, j, k]) }
            }
        }
        let bt = cube.transposed()
        #expect(bt.shape == [2, 4, 3])
        #expect(bt[1, 3, 2] == cube[1, 2, 3])
        #expect(cube.permuted([0, 1, 2]).scalars == cube.scalars)
    }

    @Test func sliceAndConcatenate() {
        #expect(x.slice(1..<2).scalars == [4, 5, 6])
        #expect(x.slice(1..<3, alongAxis: 1).scalars == [2, 3, 5, 6])
        #expect(x.slice(0..<1, alongAxis: -1).shape == [2, 1])
        let joined = Tensor.concatenate([x, Tensor(shape: [1, 3], scalars: [7, 8, 9])])
        #expect(joined.shape == [3, 3])
        #expect(joined.scalars == [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let wide = Tensor.concatenate([x, Tensor(shape: [2, 1], scalars: [0, -1])], alongAxis: 1)
        #expect(wide.shape == [2, 4])
        #expect(wide.scalars == [1, 2, 3, 0, 4, 5, 6, -1])
    }

    @Test func gatherRows() {
        let g = x.gathering(rows: [1, 1, 0])
        #expect(g.shape == [3, 3])
        #expect(g.scalars == [4, 5, 6, 4, 5, 6, 1, 2, 3])
        #expect(x.gathering(rows: []).shape == [0, 3])
    }

    @Test func padAndCrop() {
        let image = Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4])
        let padded = image.padded(top: 1, bottom: 0, left: 0, right: 2, value: -1)
        #expect(padded.shape == [1, 1, 3, 4])
        #expect(padded.scalars == [-1, -1, -1, -1, 1, 2, -1, -1, 3, 4, -1, -1])
        let cropped = padded.cropped(top: 1, left: 0, height: 2, width: 2)
        #expect(cropped.scalars == image.scalars)
        #expect(padded.cropped(top: 0, left: 1, height: 2, width: 1).scalars == [-1, 2])
        // Empty planes: the plane count comes from the leading axes, not from count / (h·w).
        let fromEmpty = Tensor.zeros([2, 0, 3]).padded(top: 1, bottom: 0, left: 0, right: 1, value: 5)
        #expect(fromEmpty.shape == [2, 1, 4])
        #expect(fromEmpty.scalars == [Float](repeating: 5, count: 8))
    }

    @Test func gradients() {
        let a = randomTensor([2, 3, 4], seed: 51)
        expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum($0[0].reshaped(to: [4, -1])) }
        expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum($0[0].flattenedBatch()) }
        expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum($0[0].permuted([2, 0, 1])) }
        expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum($0[0].permuted([1, 2, 0])) }
        expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum($0[0].transposed()) }
        expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum($0[0].slice(1..<3, alongAxis: 1)) }
        expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum($0[0].slice(0..<1)) }
        expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum($0[0].slice(1..<4, alongAxis: -1)) }
        expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum($0[0].gathering(rows: [1, 0, 1, 1])) }
        expectGradientsMatchFiniteDifferences(at: [a]) {
            weightedSum($0[0].padded(top: 1, bottom: 2, left: 0, right: 1))
        }
        expectGradientsMatchFiniteDifferences(at: [a]) {
            weightedSum($0[0].cropped(top: 1, left: 1, height: 2, width: 2))
        }
    }

    @Test func concatenateGradients() {
        let a = randomTensor([2, 3], seed: 52), b = randomTensor([1, 3], seed: 53), c = randomTensor([2, 2], seed: 54)
        expectGradientsMatchFiniteDifferences(at: [a, b]) { weightedSum(Tensor.concatenate([$0[0], $0[1]])) }
        expectGradientsMatchFiniteDifferences(at: [a, c]) {
            weightedSum(Tensor.concatenate([$0[0], $0[1]], alongAxis: 1))
        }
        // The same tensor twice, and a constant among tracked ones.
        expectGradientsMatchFiniteDifferences(at: [a]) {
            weightedSum(Tensor.concatenate([$0[0], Tensor.ones([2, 3]), $0[0]], alongAxis: -1))
        }
    }

    @Test func gatherScatterAddsRepeatedRows() {
        let (_, gradients) = valueWithGradients(at: [x]) { $0[0].gathering(rows: [1, 1, 1, 0]).sum() }
        #expect(gradients[0].scalars == [1, 1, 1, 3, 3, 3])
    }
}
