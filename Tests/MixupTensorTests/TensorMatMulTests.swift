import MixupTensor
import Testing
import _MixupTestSupport

/// op(a) · op(b) for row-major matrices stored at `a`/`b` (one batch entry), by the definition.
private func naiveMatMul(
    _ a: [Float], _ aRows: Int, _ aColumns: Int, _ b: [Float], _ bRows: Int, _ bColumns: Int,
    transposeA: Bool, transposeB: Bool
) -> [Float] {
    let (m, k) = transposeA ? (aColumns, aRows) : (aRows, aColumns)
    let n = transposeB ? bRows : bColumns
    var out = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var total: Float = 0
            for p in 0..<k {
                let x = transposeA ? a[p * aColumns + i] : a[i * aColumns + p]
                let y = transposeB ? b[j * bColumns + p] : b[p * bColumns + j]
                total += x * y
            }
            out[i * n + j] = total
        }
    }
    return out
}

@Suite struct TensorMatMulTests {
    static let transposeCombinations = [(false, false), (true, false), (false, true), (true, true)]

    @Test func handComputedProduct() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
        let c = Tensor.matmul(a, b)
        #expect(c.shape == [2, 2])
        #expect(c.scalars == [58, 64, 139, 154])
    }

    @Test(arguments: transposeCombinations)
    func matchesNaiveProduct(transposeA: Bool, transposeB: Bool) {
        let (m, k, n) = (3, 4, 5)
        let a = randomTensor(transposeA ? [k, m] : [m, k], seed: 71)
        let b = randomTensor(transposeB ? [n, k] : [k, n], seed: 72)
        let c = Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
        #expect(c.shape == [m, n])
        let expected = naiveMatMul(
            a.scalars, a.shape[0], a.shape[1], b.scalars, b.shape[0], b.shape[1], transposeA: transposeA,
            transposeB: transposeB)
        expectClose(c.scalars, expected, tolerance: 1e-5)
    }

    @Test(arguments: transposeCombinations)
    func batchedMatchesNaive(transposeA: Bool, transposeB: Bool) {
        let (batch, m, k, n) = (2, 3, 2, 4)
        let a = randomTensor(transposeA ? [batch, k, m] : [batch, m, k], seed: 73)
        let b = randomTensor(transposeB ? [batch, n, k] : [batch, k, n], seed: 74)
        let shared = randomTensor(transposeB ? [n, k] : [k, n], seed: 75)
        let c = Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
        let cShared = Tensor.matmul(a, shared, transposeA: transposeA, transposeB: transposeB)
        #expect(c.shape == [batch, m, n])
        #expect(cShared.shape == [batch, m, n])
        let (ar, ac, br, bc) = (a.shape[1], a.shape[2], b.shape[1], b.shape[2])
        for i in 0..<batch {
            let aSlice = Array(a.scalars[(i * ar * ac)..<((i + 1) * ar * ac)])
            let bSlice = Array(b.scalars[(i * br * bc)..<((i + 1) * br * bc)])
            let expected = naiveMatMul(aSlice, ar, ac, bSlice, br, bc, transposeA: transposeA, transposeB: transposeB)
            let expectedShared = naiveMatMul(
                aSlice, ar, ac, shared.scalars, br, bc, transposeA: transposeA, transposeB: transposeB)
            expectClose(Array(c.scalars[(i * m * n)..<((i + 1) * m * n)]), expected, tolerance: 1e-5)
            expectClose(Array(cShared.scalars[(i * m * n)..<((i + 1) * m * n)]), expectedShared, tolerance: 1e-5)
        }
    }

    @Test(arguments: transposeCombinations)
    func gradients(transposeA: Bool, transposeB: Bool) {
        let (m, k, n) = (2, 3, 4)
        let a = randomTensor(transposeA ? [k, m] : [m, k], seed: 76)
        let b = randomTensor(transposeB ? [n, k] : [k, n], seed: 77)
        expectGradientsMatchFiniteDifferences(at: [a, b]) {
            weightedSum(Tensor.matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB))
        }
    }

    @Test(arguments: transposeCombinations)
    func batchedGradients(transposeA: Bool, transposeB: Bool) {
        let (batch, m, k, n) = (2, 2, 3, 2)
        let a = randomTensor(transposeA ? [batch, k, m] : [batch, m, k], seed: 78)
        let b = randomTensor(transposeB ? [batch, n, k] : [batch, k, n], seed: 79)
        expectGradientsMatchFiniteDifferences(at: [a, b]) {
            weightedSum(Tensor.matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB))
        }
    }

    /// Rank-3 × shared rank-2: regression for transposeA, whose pullback used to call matmul(rank-2, rank-3) and stop.
    @Test(arguments: transposeCombinations)
    func sharedRightOperandGradients(transposeA: Bool, transposeB: Bool) {
        let (batch, m, k, n) = (3, 2, 3, 2)
        let a = randomTensor(transposeA ? [batch, k, m] : [batch, m, k], seed: 80)
        let b = randomTensor(transposeB ? [n, k] : [k, n], seed: 81)
        expectGradientsMatchFiniteDifferences(at: [a, b]) {
            weightedSum(Tensor.matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB))
        }
    }

    @Test func emptyInnerDimensionGivesZeros() {
        let c = Tensor.matmul(Tensor.zeros([2, 0]), Tensor.zeros([0, 3]))
        #expect(c.shape == [2, 3])
        #expect(c.scalars == [Float](repeating: 0, count: 6))
    }
}
