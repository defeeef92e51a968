import Foundation

/// Singular values by the one-sided Jacobi method (Hestenes 1958; Demmel & Veselić 1992): plane rotations
/// orthogonalise the columns of the narrower orientation of the matrix, after which the singular values are the
/// column norms. Accurate to working precision, including the small singular values.
public enum SingularValues {
    /// The singular values of a `rows × columns` row-major matrix, largest first (min(rows, columns) of them).
    ///
    /// - Parameters:
    ///   - values: the matrix, row-major.
    ///   - rows: the number of rows.
    ///   - columns: the number of columns.
    ///   - tolerance: a rotation is skipped when |aᵢ·aⱼ| ≤ tolerance · ‖aᵢ‖‖aⱼ‖; sweeps stop when none is applied.
    ///   - maximumSweeps: an upper bound on sweeps (convergence is quadratic; 6–10 sweeps are typical).
    /// - Precondition: `values.count == rows × columns`.
    /// - Complexity: O(sweeps · k² · m) for k = min(rows, columns), m = max(rows, columns).
    public static func of(
        _ values: [Double], rows: Int, columns: Int, tolerance: Double = 1e-12, maximumSweeps: Int = 60
    ) -> [Double] {
        precondition(
            rows >= 0 && columns >= 0 && values.count == rows * columns,
            "SingularValues.of: \(values.count) values do not form a \(rows) × \(columns) matrix")
        guard rows > 0, columns > 0 else { return [] }
        // Work on the k = min(rows, columns) vectors of length m = max(rows, columns): the columns when the matrix is
        // tall, the rows (the columns of the transpose, which has the same singular values) when it is wide.
        let tall = rows >= columns
        let k = tall ? columns : rows, m = tall ? rows : columns
        var vectors = [[Double]](repeating: [Double](repeating: 0, count: m), count: k)
        for r in 0..<rows {
            for c in 0..<columns {
                if tall { vectors[c][r] = values[r * columns + c] } else { vectors[r][c] = values[r * columns + c] }
            }
        }
        var norms = vectors.map { $0.reduce(0) { $0 + $1 * $1 } }
        for _ in 0..<maximumSweeps {
            var rotated = false
            for i in 0..<k {
                for j in (i + 1)..<max(k, i + 1) {
                    var dot = 0.0
                    vectors[i].withUnsafeBufferPointer { a in
                        vectors[j].withUnsafeBufferPointer { b in
                            for t in 0..<m { dot += a[t] * b[t] }
                        }
                    }
                    let (alpha, beta) = (norms[i], norms[j])
                    guard Swift.abs(dot) > tolerance * (alpha * beta).squareRoot(), dot != 0 else { continue }
                    rotated = true
                    let zeta = (beta - alpha) / (2 * dot)
                    let t = (zeta >= 0 ? 1.0 : -1.0) / (Swift.abs(zeta) + (1 + zeta * zeta).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot(), s = c * t
                    var newI = 0.0, newJ = 0.0
                    var first = vectors[i], second = vectors[j]
                    for index in 0..<m {
                        let (x, y) = (first[index], second[index])
                        first[index] = c * x - s * y
                        second[index] = s * x + c * y
                        newI += first[index] * first[index]
                        newJ += second[index] * second[index]
                    }
                    vectors[i] = first
                    vectors[j] = second
                    norms[i] = newI
                    norms[j] = newJ
                }
            }
            if !rotated { break }
        }
        return norms.map { $0.squareRoot() }.sorted(by: >)
    }
}
