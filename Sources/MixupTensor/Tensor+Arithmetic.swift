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

    /// The four arithmetic operators, dispatched once per row rather than through a closure per element.
    enum ArithmeticKind { case add, subtract, multiply, divide }

    /// `z[i] = x[i·sx] ∘ y[i·sy]` for i in 0..<n, with the common unit/zero steps as separate vectorisable loops.
    @inline(__always)
    static func rowLoop(
        _ z: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ sx: Int, _ y: UnsafePointer<Float>, _ sy: Int,
        _ n: Int, _ f: (Float, Float) -> Float
    ) {
        if sx == 1 && sy == 1 {
            for i in 0..<n { z[i] = f(x[i], y[i]) }
        } else if sx == 1 && sy == 0 {
            let c = y[0]
            for i in 0..<n { z[i] = f(x[i], c) }
        } else if sx == 0 && sy == 1 {
            let c = x[0]
            for i in 0..<n { z[i] = f(c, y[i]) }
        } else {
            for i in 0..<n { z[i] = f(x[i * sx], y[i * sy]) }
        }
    }

    static func arithmeticRow(
        _ kind: ArithmeticKind, _ z: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ sx: Int,
        _ y: UnsafePointer<Float>, _ sy: Int, _ n: Int
    ) {
        switch kind {
        case .add: rowLoop(z, x, sx, y, sy, n) { $0 + $1 }
        case .subtract: rowLoop(z, x, sx, y, sy, n) { $0 - $1 }
        case .multiply: rowLoop(z, x, sx, y, sy, n) { $0 * $1 }
        case .divide: rowLoop(z, x, sx, y, sy, n) { $0 / $1 }
        }
    }

    /// Broadcasting `a ∘ b` for the four arithmetic operators (same results as ``binary(_:_:_:_:)``); the
    /// same-shape case is split across threads.
    static func arithmetic(_ a: Tensor, _ b: Tensor, _ name: String, _ kind: ArithmeticKind) -> (
        shape: [Int], scalars: [Float]
    ) {
        let outShape: [Int]
        if a.shape == b.shape {
            outShape = a.shape
        } else {
            guard let shape = Broadcasting.shape(a.shape, b.shape) else {
                preconditionFailure("\(name): shapes \(a.shape) and \(b.shape) do not broadcast")
            }
            outShape = shape
        }
        let total = outShape.reduce(1, *)
        var out = [Float](unsafeUninitializedCapacity: total) { _, initialized in initialized = total }
        if total == 0 { return (outShape, out) }
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    let x = pa.baseAddress!, y = pb.baseAddress!, z = po.baseAddress!
                    if a.shape == b.shape {
                        Parallel.forEachChunk(total) { range in
                            let lo = range.lowerBound
                            arithmeticRow(kind, z + lo, x + lo, 1, y + lo, 1, range.count)
                        }
                        return
                    }
                    let sa = Broadcasting.strides(of: a.shape, in: outShape)
                    let sb = Broadcasting.strides(of: b.shape, in: outShape)
                    Broadcasting.forEachRow(outShape, sa, sb) { o, ia, ib, length, stepA, stepB in
                        arithmeticRow(kind, z + o, x + ia, stepA, y + ib, stepB, length)
                    }
                }
            }
        }
        return (outShape, out)
    }

    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let (shape, out) = arithmetic(a, b, "+", .add)
        guard needsRecord(a, b) else { return Tensor(shape: shape, scalars: out) }
        let sa = a.shape, sb = b.shape
        return recording(shape, out, [(a, { $0.summed(toShape: sa) }), (b, { $0.summed(toShape: sb) })])
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let (shape, out) = arithmetic(a, b, "-", .subtract)
        guard needsRecord(a, b) else { return Tensor(shape: shape, scalars: out) }
        let sa = a.shape, sb = b.shape
        return recording(shape, out, [(a, { $0.summed(toShape: sa) }), (b, { (-$0).summed(toShape: sb) })])
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let (shape, out) = arithmetic(a, b, "*", .multiply)
        guard needsRecord(a, b) else { return Tensor(shape: shape, scalars: out) }
        let ca = a.detached(), cb = b.detached()
        return recording(
            shape, out, [(a, { ($0 * cb).summed(toShape: ca.shape) }), (b, { ($0 * ca).summed(toShape: cb.shape) })])
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let (shape, out) = arithmetic(a, b, "/", .divide)
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
