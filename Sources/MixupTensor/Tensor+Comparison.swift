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
        let notC = c.mapScalars { $0 != 0 ? 0 : 1 }
        let cMask = Tensor(shape: shape, scalars: c.mapScalars { $0 != 0 ? 1 : 0 })
        let notMask = Tensor(shape: shape, scalars: notC)
        return a.broadcast(to: shape) * cMask + b.broadcast(to: shape) * notMask
    }
}

infix operator .> : ComparisonPrecedence
infix operator .< : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .== : ComparisonPrecedence
