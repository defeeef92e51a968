/// Reductions over chosen axes. Negative axes count from the end (-1 is the last axis).
extension Tensor {
    func normalizedAxis(_ axis: Int, _ op: String) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "\(op): axis \(axis) is out of range for shape \(shape)")
        return a
    }

    /// (outer, extent, inner) for a reduction along `axis`.
    func splitAround(_ axis: Int) -> (outer: Int, extent: Int, inner: Int) {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        return (outer, shape[axis], inner)
    }

    /// The sum of all elements, as a scalar tensor.
    public func sum() -> Tensor {
        var total: Float = 0
        scalars.withUnsafeBufferPointer { p in for i in 0..<p.count { total += p[i] } }
        guard Tensor.needsRecord(self) else { return Tensor(total) }
        let inputShape = shape
        return Tensor.recording([], [total], [(self, { Tensor.filled(inputShape, with: $0.scalars[0]) })])
    }

    /// The mean of all elements, as a scalar tensor.
    ///
    /// - Precondition: the tensor is not empty.
    public func mean() -> Tensor {
        precondition(count > 0, "mean: empty tensor of shape \(shape)")
        return sum().scaled(by: 1 / Float(count))
    }

    /// Sums along `axes`. With `keepingDimensions`, reduced axes stay with extent 1.
    public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let normalized = Set(axes.map { normalizedAxis($0, "sum(alongAxes:)") })
        var keptShape = shape
        for a in normalized { keptShape[a] = 1 }
        var result = summed(toShape: keptShape)
        if !keepingDimensions {
            result = result.reshaped(to: shape.enumerated().filter { !normalized.contains($0.offset) }.map(\.element))
        }
        return result
    }

    /// Means along `axes`. With `keepingDimensions`, reduced axes stay with extent 1.
    public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let normalized = Set(axes.map { normalizedAxis($0, "mean(alongAxes:)") })
        let n = normalized.reduce(1) { $0 * shape[$1] }
        precondition(n > 0, "mean(alongAxes:): reducing empty axes of \(shape)")
        return sum(alongAxes: axes, keepingDimensions: keepingDimensions).scaled(by: 1 / Float(n))
    }

    /// Maximum along `axis`; the gradient flows to the first maximal element.
    public func max(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        let a = normalizedAxis(axis, "max(alongAxis:)")
        let (outer, extent, inner) = splitAround(a)
        precondition(extent > 0, "max(alongAxis:): axis \(axis) of \(shape) is empty")
        var values = [Float](repeating: 0, count: outer * inner)
        var winners = [Int](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { p in
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = p[o * extent * inner + i]
                    var bestIndex = 0
                    for k in 1..<Swift.max(extent, 1) {
                        let v = p[(o * extent + k) * inner + i]
                        if v > best || (best.isNaN && !v.isNaN) {
                            best = v
                            bestIndex = k
                        }
                    }
                    values[o * inner + i] = best
                    winners[o * inner + i] = bestIndex
                }
            }
        }
        var outShape = shape
        outShape[a] = 1
        if !keepingDimensions { outShape.remove(at: a) }
        guard Tensor.needsRecord(self) else { return Tensor(shape: outShape, scalars: values) }
        let inputShape = shape
        return Tensor.recording(
            outShape, values,
            [
                (
                    self,
                    { g in
                        var dx = [Float](repeating: 0, count: outer * extent * inner)
                        for o in 0..<outer {
                            for i in 0..<inner {
                                dx[(o * extent + winners[o * inner + i]) * inner + i] = g.scalars[o * inner + i]
                            }
                        }
                        return Tensor(shape: inputShape, scalars: dx)
                    }
                )
            ])
    }

    /// Indices of the maxima along `axis` (the first on ties), with that axis removed.
    public func argmax(alongAxis axis: Int) -> [Int] {
        let a = normalizedAxis(axis, "argmax(alongAxis:)")
        let (outer, extent, inner) = splitAround(a)
        precondition(extent > 0, "argmax(alongAxis:): axis \(axis) of \(shape) is empty")
        var result = [Int](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { p in
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = p[o * extent * inner + i]
                    var bestIndex = 0
                    for k in 1..<Swift.max(extent, 1) where p[(o * extent + k) * inner + i] > best {
                        best = p[(o * extent + k) * inner + i]
                        bestIndex = k
                    }
                    result[o * inner + i] = bestIndex
                }
            }
        }
        return result
    }
}
