import Foundation
import MixupKit
import Testing

@Suite struct SingularValuesTests {
    /// A rotation by `angle` in the plane of axes (i, j) of an n × n identity.
    func rotation(_ n: Int, _ i: Int, _ j: Int, _ angle: Double) -> [[Double]] {
        var r = (0..<n).map { row in (0..<n).map { row == $0 ? 1.0 : 0 } }
        r[i][i] = cos(angle)
        r[j][j] = cos(angle)
        r[i][j] = -sin(angle)
        r[j][i] = sin(angle)
        return r
    }

    func multiply(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        a.map { row in (0..<b[0].count).map { c in zip(row, b.map { $0[c] }).reduce(0) { $0 + $1.0 * $1.1 } } }
    }

    @Test func reproducesKnownSingularValuesOfATallMatrix() {
        // A = U Σ Vᵀ with orthogonal U (4 × 4) and V (3 × 3) built from plane rotations, Σ = diag(5, 2, 0.5).
        let u = multiply(rotation(4, 0, 1, 0.3), multiply(rotation(4, 1, 3, 1.1), rotation(4, 0, 2, -0.7)))
        let v = multiply(rotation(3, 0, 1, 0.9), rotation(3, 1, 2, -0.4))
        let sigma: [[Double]] = [[5, 0, 0], [0, 2, 0], [0, 0, 0.5], [0, 0, 0]]
        let vt = (0..<3).map { r in (0..<3).map { v[$0][r] } }
        let a = multiply(multiply(u, sigma), vt)
        let values = SingularValues.of(a.flatMap { $0 }, rows: 4, columns: 3)
        #expect(values.count == 3)
        for (got, want) in zip(values, [5.0, 2, 0.5]) { #expect(Swift.abs(got - want) < 1e-10) }
        // The transpose (wide) has the same singular values.
        let transposed = (0..<3).flatMap { c in (0..<4).map { a[$0][c] } }
        let wide = SingularValues.of(transposed, rows: 3, columns: 4)
        for (got, want) in zip(wide, [5.0, 2, 0.5]) { #expect(Swift.abs(got - want) < 1e-10) }
    }

    @Test func handlesRankDeficientAndDiagonalMatrices() {
        let ones = SingularValues.of([1, 1, 1, 1], rows: 2, columns: 2)
        #expect(Swift.abs(ones[0] - 2) < 1e-12 && Swift.abs(ones[1]) < 1e-12)
        let diagonal = SingularValues.of([0, 0, -3, 0, 7, 0, 1, 0, 0], rows: 3, columns: 3)
        #expect(diagonal.map { ($0 * 1e9).rounded() / 1e9 } == [7, 3, 1])
        #expect(SingularValues.of([], rows: 0, columns: 4).isEmpty)
    }

    @Test func squaresSumToTheFrobeniusNorm() {
        var generator = SeededGenerator(seed: 3)
        let values = (0..<(7 * 5)).map { _ in generator.nextNormal() }
        let singular = SingularValues.of(values, rows: 7, columns: 5)
        let frobenius = values.reduce(0) { $0 + $1 * $1 }
        #expect(Swift.abs(singular.reduce(0) { $0 + $1 * $1 } - frobenius) < 1e-9 * frobenius)
        #expect(zip(singular, singular.dropFirst()).allSatisfy { $0 >= $1 })
    }
}
