import Foundation

/// Elementwise functions. Each records its pullback when the input is tracked.
extension Tensor {
    @inline(__always)
    func unary(_ forward: (Float) -> Float, derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Tensor {
        let out = mapScalars(forward)
        guard Tensor.needsRecord(self) else { return Tensor(shape: shape, scalars: out) }
        let input = detached()
        let output = Tensor(shape: shape, scalars: out)
        return Tensor.recording(
            shape, out,
            [
                (
                    self,
                    { g in
                        var result = [Float](repeating: 0, count: g.count)
                        g.scalars.withUnsafeBufferPointer { pg in
                            input.scalars.withUnsafeBufferPointer { px in
                                output.scalars.withUnsafeBufferPointer { py in
                                    result.withUnsafeMutableBufferPointer { pr in
                                        for i in 0..<pr.count { pr[i] = pg[i] * derivative(px[i], py[i]) }
                                    }
                                }
                            }
                        }
                        return Tensor(shape: g.shape, scalars: result)
                    }
                )
            ])
    }

    /// eˣ elementwise.
    public func exp() -> Tensor { unary({ Foundation.exp($0) }, derivative: { _, y in y }) }

    /// Natural logarithm elementwise. Non-positive inputs give -inf/NaN as in IEEE arithmetic.
    public func log() -> Tensor { unary({ Foundation.log($0) }, derivative: { x, _ in 1 / x }) }

    /// Square root elementwise.
    public func sqrt() -> Tensor { unary({ $0.squareRoot() }, derivative: { _, y in 0.5 / y }) }

    /// Each element raised to `exponent`.
    public func pow(_ exponent: Float) -> Tensor {
        unary({ Foundation.pow($0, exponent) }, derivative: { x, _ in exponent * Foundation.pow(x, exponent - 1) })
    }

    /// Each element squared.
    public func squared() -> Tensor { unary({ $0 * $0 }, derivative: { x, _ in 2 * x }) }

    /// Rectified linear unit, max(x, 0). The derivative at 0 is taken as 0. NaN propagates (NaN → NaN, as in
    /// PyTorch), so NaN inputs give a NaN loss rather than a silently finite one.
    public func relu() -> Tensor {
        let total = count
        var out = [Float](unsafeUninitializedCapacity: total) { _, initialized in initialized = total }
        scalars.withUnsafeBufferPointer { xb in
            out.withUnsafeMutableBufferPointer { yb in
                let x = xb.baseAddress!, y = yb.baseAddress!
                Parallel.forEachChunk(total, costPerItem: 1) { range in
                    for i in range { y[i] = x[i] <= 0 ? 0 : x[i] }
                }
            }
        }
        guard Tensor.needsRecord(self) else { return Tensor(shape: shape, scalars: out) }
        // The output alone decides the derivative (y > 0 exactly where x > 0), so the input is not kept alive.
        let output = Tensor(shape: shape, scalars: out)
        return Tensor.recording(
            shape, out,
            [
                (
                    self,
                    { g in
                        var dx = [Float](unsafeUninitializedCapacity: total) { _, initialized in initialized = total }
                        g.scalars.withUnsafeBufferPointer { gb in
                            output.scalars.withUnsafeBufferPointer { yb in
                                dx.withUnsafeMutableBufferPointer { db in
                                    let gp = gb.baseAddress!, y = yb.baseAddress!, d = db.baseAddress!
                                    Parallel.forEachChunk(total, costPerItem: 1) { range in
                                        for i in range { d[i] = y[i] <= 0 ? 0 : gp[i] }
                                    }
                                }
                            }
                        }
                        return Tensor(shape: g.shape, scalars: dx)
                    }
                )
            ])
    }

    /// Leaky ReLU: x for x > 0, `slope`·x otherwise. NaN propagates.
    public func leakyRelu(slope: Float = 0.01) -> Tensor {
        unary({ $0 > 0 ? $0 : slope * $0 }, derivative: { x, _ in x > 0 ? 1 : slope })
    }

    /// Logistic sigmoid 1 / (1 + e⁻ˣ), computed without overflow for large |x|.
    public func sigmoid() -> Tensor {
        unary(
            { x in x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x)) },
            derivative: { _, y in y * (1 - y) })
    }

    /// Hyperbolic tangent elementwise.
    public func tanh() -> Tensor { unary({ Foundation.tanh($0) }, derivative: { _, y in 1 - y * y }) }

    /// Absolute value elementwise (derivative sign(x), 0 at 0).
    public func abs() -> Tensor { unary({ Swift.abs($0) }, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) }) }

    /// Each element clamped to [lower, upper]; the gradient is zero where clamping happened. NaN stays NaN.
    public func clamped(to lower: Float, _ upper: Float) -> Tensor {
        precondition(lower <= upper, "clamped: lower \(lower) exceeds upper \(upper)")
        return unary(
            { Swift.min(Swift.max($0, lower), upper) }, derivative: { x, _ in x >= lower && x <= upper ? 1 : 0 })
    }
}
