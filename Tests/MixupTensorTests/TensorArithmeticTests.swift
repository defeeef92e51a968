import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct TensorArithmeticTests {
    // MARK: Forward values

    @Test func sameShapeOperators() {
        let a = Tensor([1, 2, 3]), b = Tensor([4, 5, 6])
        #expect((a + b).scalars == [5, 7, 9])
        #expect((a - b).scalars == [-3, -3, -3])
        #expect((a * b).scalars == [4, 10, 18])
        #expect((b / a).scalars == [4, 2.5, 2])
        #expect((-a).scalars == [-1, -2, -3])
    }

    @Test func rowBroadcasting() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor([10, 20, 30])
        let sum = a + b
        #expect(sum.shape == [2, 3])
        #expect(sum.scalars == [11, 22, 33, 14, 25, 36])
        #expect((b - a).scalars == [9, 18, 27, 6, 15, 24])
    }

    @Test func twoSidedBroadcasting() {
        let a = randomTensor([2, 1, 3], seed: 1)
        let b = randomTensor([4, 1], seed: 2)
        let product = a * b
        #expect(product.shape == [2, 4, 3])
        for i in 0..<2 {
            for j in 0..<4 {
                for k in 0..<3 { #expect(product[i, j, k] == a[i, 0, k] * b[j, 0]) }
            }
        }
        let quotient = b / a
        #expect(quotient.shape == [2, 4, 3])
        #expect(quotient[1, 3, 2] == b[3, 0] / a[1, 0, 2])
    }

    @Test func scalarTensorBroadcasting() {
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        #expect((a * Tensor(2)).scalars == [2, 4, 6, 8])
        #expect((Tensor(10) - a).scalars == [9, 8, 7, 6])
        #expect((Tensor(1) + Tensor(2)).shape == [])
    }

    @Test func floatOperators() {
        let a = Tensor([1, 2, 4])
        #expect((a + 1).scalars == [2, 3, 5])
        #expect((1 + a).scalars == [2, 3, 5])
        #expect((a - 1).scalars == [0, 1, 3])
        #expect((1 - a).scalars == [0, -1, -3])
        #expect((a * 3).scalars == [3, 6, 12])
        #expect((3 * a).scalars == [3, 6, 12])
        #expect((a / 4).scalars == [0.25, 0.5, 1])
        #expect(a.scaled(by: -2).scalars == [-2, -4, -8])
        #expect(a.shifted(by: 0.5).scalars == [1.5, 2.5, 4.5])
    }

    @Test func broadcastAndSumToShape() {
        let row = Tensor([1, 2, 3])
        let tiled = row.broadcast(to: [2, 3])
        #expect(tiled.scalars == [1, 2, 3, 1, 2, 3])
        let column = Tensor(shape: [2, 1], scalars: [5, 7]).broadcast(to: [2, 2, 3])
        #expect(column.shape == [2, 2, 3])
        #expect(column.scalars == [5, 5, 5, 7, 7, 7, 5, 5, 5, 7, 7, 7])
        let big = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(big.summed(toShape: [3]).scalars == [5, 7, 9])
        #expect(big.summed(toShape: [2, 1]).scalars == [6, 15])
        #expect(big.summed(toShape: [1, 1]).scalars == [21])
        #expect(big.summed(toShape: []).scalars == [21])
        #expect(big.summed(toShape: [2, 3]).scalars == big.scalars)
    }

    // MARK: Gradients

    @Test(
        arguments: [
            ([2, 3], [2, 3]), ([2, 3], [3]), ([3], [2, 3]), ([2, 1, 3], [4, 1]), ([2, 3], []), ([], [2, 3]),
            ([2, 1], [1, 3]),
        ] as [([Int], [Int])])
    func binaryOperatorGradients(shapes: ([Int], [Int])) {
        let a = randomTensor(shapes.0, seed: 11)
        let b = randomTensor(shapes.1, seed: 12, lower: 0.5, upper: 1.5)  // positive: a safe divisor
        expectGradientsMatchFiniteDifferences(at: [a, b]) { weightedSum($0[0] + $0[1]) }
        expectGradientsMatchFiniteDifferences(at: [a, b]) { weightedSum($0[0] - $0[1]) }
        expectGradientsMatchFiniteDifferences(at: [a, b]) { weightedSum($0[0] * $0[1]) }
        expectGradientsMatchFiniteDifferences(at: [a, b]) { weightedSum($0[0] / $0[1]) }
    }

    @Test func scalarOperatorGradients() {
        let a = randomTensor([2, 3], seed: 13, lower: 0.5, upper: 1.5)
        expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum($0[0].scaled(by: -1.5)) }
        expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum($0[0].shifted(by: 2)) }
        expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum(-$0[0]) }
        expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum(3 - $0[0] * 2 + 1) }
        expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum(($0[0] - 1) / 4) }
        expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum(2 * $0[0] + $0[0] * $0[0]) }
    }

    @Test func broadcastGradient() {
        let a = randomTensor([3], seed: 14)
        expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum($0[0].broadcast(to: [2, 3])) }
        let b = randomTensor([2, 1, 3], seed: 15)
        expectGradientsMatchFiniteDifferences(at: [b]) { weightedSum($0[0].broadcast(to: [2, 4, 3])) }
        let s = randomTensor([], seed: 16)
        expectGradientsMatchFiniteDifferences(at: [s]) { weightedSum($0[0].broadcast(to: [2, 2])) }
    }

    @Test func summedToShapeGradient() {
        let a = randomTensor([2, 4, 3], seed: 17)
        for target in [[3], [4, 1], [2, 1, 3], [1, 4, 1], [], [2, 4, 3]] {
            expectGradientsMatchFiniteDifferences(at: [a]) { weightedSum($0[0].summed(toShape: target)) }
        }
    }

    @Test func summedToShapeIsTracked() {
        let p = Parameter(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        let reduced = p.tracked.summed(toShape: [3])
        #expect(reduced.requiresGradient)
        (reduced * Tensor([1, 2, 3])).sum().backward()
        #expect(p.gradient?.scalars == [1, 2, 3, 1, 2, 3])
    }

    @Test func mismatchedShapesStop() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([2])
        }
    }
}
