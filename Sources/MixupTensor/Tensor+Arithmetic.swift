/// Broadcasting elementwise arithmetic. Shapes broadcast NumPy-style; mismatches stop with both shapes in the message.
extension Tensor {
    @inline(__always)
    static func binary(
        _ a: Tensor, _ b: Tensor, _ name: String, _ op: (Float, Float) -> Float
    ) -> (shape: [Int], scalars: [Float]) {
        if a.shape == b.shape {
            var out = [Float](repeating: 0, count: a.count)
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    out.withUnsafeMutableBufferPointer { po in
                        for i in 0..<po.count { po[i] = op(pa[i], pb[i]) }
                    }
                }
            }
            return (a.shape, out)
        }
        guard let outShape = Broadcasting.shape(a.shape, b.shape) else {
            preconditionFailure("\(name): shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        var out = [Float](repeating: 0, count: outShape.reduce(1, *))
        let sa = Broadcasting.strides(of: a.shape, in: outShape)
        let sb = Broadcasting.strides(of: b.shape, in: outShape)
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    Broadcasting.forEachRow(outShape, sa, sb) { o, ia, ib, length, stepA, stepB in
                        if stepA == 1 && stepB == 1 {
                            for i in 0..<length { po[o + i] = op(pa[ia + i], pb[ib + i]) }
                        } else if stepA == 1 {
                            let y = pb[ib]
                            for i in 0..<length { po[o + i] = op(pa[ia + i], y) }
                        } else if stepB == 1 {
                            let x = pa[ia]
                            for i in 0..<length { po[o + i] = op(x, pb[ib + i]) }
                        } else {
                            for i in 0..<length { po[o + i] = op(pa[ia + i * stepA], pb[ib + i * stepB]) }
                        }
                    }
                }
            }
        }
        return (outShape, out)
    }

    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let (shape, out) = binary(a, b, "+", +)
        guard needsRecord(a, b) else { return Tensor(shape: shape, scalars: out) }
        let sa = a.shape, sb = b.shape
        return recording(shape, out, [(a, { $0.summed(toShape: sa) }), (b, { $0.summed(toShape: sb) })])
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let (shape, out) = binary(a, b, "-", -)
        guard needsRecord(a, b) else { return Tensor(shape: shape, scalars: out) }
        let sa = a.shape, sb = b.shape
        return recording(shape, out, [(a, { $0.summed(toShape: sa) }), (b, { (-$0).summed(toShape: sb) })])
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let (shape, out) = binary(a, b, "*", *)
        guard needsRecord(a, b) else { return Tensor(shape: shape, scalars: out) }
        let ca = a.detached(), cb = b.detached()
        return recording(shape, out, [(a, { ($0 * cb).summed(toShape: ca.shape) }), (b, { ($0 * ca).summed(toShape: cb.shape) })])
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let (shape, out) = binary(a, b, "/", /)
        guard needsRecord(a, b) else { return Tensor(shape: shape, scalars: out) }
        let ca = a.detached(), cb = b.detached()
        return recording(
            shape, out,
            [
                (a, { ($0 / cb).summed(toShape: ca.shape) }),
                (b, { (-$0 * ca / (cb * cb)).summed(toShape: cb.shape) }),
            ])
    }

    /// Negation.
    public static prefix func - (a: Tensor) -> Tensor { a.scaled(by: -1) }

    /// Sum with a scalar.
    public static func + (a: Tensor, b: Float) -> Tensor { a.shifted(by: b) }
    /// Sum with a scalar.
    public static func + (a: Float, b: Tensor) -> Tensor { b.shifted(by: a) }
    /// Difference with a scalar.
    public static func - (a: Tensor, b: Float) -> Tensor { a.shifted(by: -b) }
    /// Difference from a scalar.
    public static func - (a: Float, b: Tensor) -> Tensor { b.scaled(by: -1).shifted(by: a) }
    /// Product with a scalar.
    public static func * (a: Tensor, b: Float) -> Tensor { a.scaled(by: b) }
    /// Product with a scalar.
    public static func * (a: Float, b: Tensor) -> Tensor { b.scaled(by: a) }
    /// Quotient by a scalar.
    public static func / (a: Tensor, b: Float) -> Tensor { a.scaled(by: 1 / b) }

    /// Every element multiplied by `factor`.
    public func scaled(by factor: Float) -> Tensor {
        let out = mapScalars { $0 * factor }
        guard Tensor.needsRecord(self) else { return Tensor(shape: shape, scalars: out) }
        return Tensor.recording(shape, out, [(self, { $0.scaled(by: factor) })])
    }

    /// Every element plus `offset`.
    public func shifted(by offset: Float) -> Tensor {
        let out = mapScalars { $0 + offset }
        guard Tensor.needsRecord(self) else { return Tensor(shape: shape, scalars: out) }
        return Tensor.recording(shape, out, [(self, { $0 })])
    }

    /// Applies `transform` to every element (no gradient; a building block for ops).
    @inline(__always)
    func mapScalars(_ transform: (Float) -> Float) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<dst.count { dst[i] = transform(src[i]) }
            }
        }
        return out
    }

    /// Combines two same-shaped tensors elementwise (no gradient; a building block for pullbacks).
    @inline(__always)
    func zipScalars(_ other: Tensor, _ transform: (Float, Float) -> Float) -> Tensor {
        precondition(shape == other.shape, "zipScalars: \(shape) vs \(other.shape)")
        var out = [Float](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<dst.count { dst[i] = transform(a[i], b[i]) }
                }
            }
        }
        return Tensor(shape: shape, scalars: out)
    }
}
