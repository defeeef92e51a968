/// Comparisons give 0/1 masks that carry no gradient; `where` selects between tensors and is differentiable in both.
extension Tensor {
    /// 1 where `a > b`, else 0 (broadcasting).
    public static func .> (a: Tensor, b: Tensor) -> Tensor { mask(a, b, ">") { $0 > $1 } }
    /// 1 where `a < b`, else 0 (broadcasting).
    public static func .< (a: Tensor, b: Tensor) -> Tensor { mask(a, b, "<") { $0 < $1 } }
    /// 1 where `a >= b`, else 0 (broadcasting).
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { mask(a, b, ">=") { $0 >= $1 } }
    /// 1 where `a <= b`, else 0 (broadcasting).
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { mask(a, b, "<=") { $0 <= $1 } }
    /// 1 where `a == b`, else 0 (broadcasting).
    public static func .== (a: Tensor, b: Tensor) -> Tensor { mask(a, b, "==") { $0 == $1 } }

    private static func mask(_ a: Tensor, _ b: Tensor, _ name: String, _ test: (Float, Float) -> Bool) -> Tensor {
        let (shape, out) = binary(a, b, name) { test($0, $1) ? 1 : 0 }
        return Tensor(shape: shape, scalars: out)
    }

    /// Elementwise selection: `a` where `condition` is non-zero, `b` elsewhere (all three broadcast together).
    ///
    /// Gradients flow to `a` where the condition holds and to `b` elsewhere.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        guard let ab = Broadcasting.shape(a.shape, b.shape), let shape = Broadcasting.shape(ab, condition.shape) else {
            preconditionFailure("where: shapes \(condition.shape), \(a.shape) and \(b.shape) do not broadcast")
        }
        let c = condition.detached().broadcast(to: shape)
        let cMask = Tensor(shape: shape, scalars: c.mapScalars { $0 != 0 ? 1 : 0 })
        let notMask = Tensor(shape: shape, scalars: c.mapScalars { $0 != 0 ? 0 : 1 })
        let selectedA = a.broadcast(to: shape), selectedB = b.broadcast(to: shape)
        // Select rather than blend (a·mask + b·(1 − mask)), so that an inf or NaN in the branch not taken cannot leak
        // into the result as 0·inf = NaN.
        var out = [Float](repeating: 0, count: c.count)
        for i in 0..<out.count { out[i] = c.scalars[i] != 0 ? selectedA.scalars[i] : selectedB.scalars[i] }
        guard needsRecord(selectedA, selectedB) else { return Tensor(shape: shape, scalars: out) }
        return recording(shape, out, [(selectedA, { $0 * cMask }), (selectedB, { $0 * notMask })])
    }
}

infix operator .> : ComparisonPrecedence
infix operator .< : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .== : ComparisonPrecedence
