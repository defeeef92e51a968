/// Shape operations: reshape, permute, slice, concatenate, gather, pad and crop. All are differentiable.
extension Tensor {
    /// The same elements with a new shape. One extent may be -1 and is inferred.
    ///
    /// - Precondition: the element counts agree.
    public func reshaped(to newShape: [Int]) -> Tensor {
        var target = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != inferred }.reduce(1) { $0 * $1.element }
            precondition(
                known > 0 && count % known == 0,
                "reshaped: cannot infer -1 in \(newShape) for \(count) elements of \(shape)")
            target[inferred] = count / known
        }
        precondition(
            target.allSatisfy { $0 >= 0 } && target.reduce(1, *) == count,
            "reshaped: shape \(shape) (\(count) elements) cannot be viewed as \(newShape)")
        let originalShape = shape
        return Tensor.recording(target, scalars, [(self, { $0.reshaped(to: originalShape) })])
    }

    /// Flattens all axes after the first: `[batch, ...]` → `[batch, features]`.
    public func flattenedBatch() -> Tensor {
        precondition(rank >= 1, "flattenedBatch: scalar tensor")
        return reshaped(to: [shape[0], shape.dropFirst().reduce(1, *)])
    }

    /// Reorders the axes: axis `i` of the result is axis `permutation[i]` of this tensor.
    ///
    /// - Precondition: `permutation` is a permutation of `0..<rank`.
    public func permuted(_ permutation: [Int]) -> Tensor {
        precondition(
            permutation.count == rank && Set(permutation) == Set(0..<rank),
            "permuted: \(permutation) is not a permutation of the axes of \(shape)")
        if permutation == Array(0..<rank) { return self }
        let outShape = permutation.map { shape[$0] }
        let inStrides = contiguousStrides(shape)
        let permutedStrides = permutation.map { inStrides[$0] }
        var out = [Float](repeating: 0, count: count)
        let zero = [Int](repeating: 0, count: rank)
        scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                Broadcasting.forEachRow(outShape, permutedStrides, zero) { o, s, _, length, step, _ in
                    for i in 0..<length { dst[o + i] = src[s + i * step] }
                }
            }
        }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in permutation.enumerated() { inverse[p] = i }
        return Tensor.recording(outShape, out, [(self, { $0.permuted(inverse) })])
    }

    /// The transpose of a matrix, or of the last two axes of a higher-rank tensor.
    public func transposed() -> Tensor {
        precondition(rank >= 2, "transposed: needs rank ≥ 2, got shape \(shape)")
        var permutation = Array(0..<rank)
        permutation.swapAt(rank - 1, rank - 2)
        return permuted(permutation)
    }

    /// The elements with indices `range` along `axis`.
    public func slice(_ range: Range<Int>, alongAxis axis: Int = 0) -> Tensor {
        let a = normalizedAxis(axis, "slice")
        precondition(
            range.lowerBound >= 0 && range.upperBound <= shape[a],
            "slice: range \(range) is out of bounds for axis \(axis) of \(shape)")
        let (outer, extent, inner) = splitAround(a)
        let length = range.count
        var out = [Float](repeating: 0, count: outer * length * inner)
        scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for o in 0..<outer {
                    let from = (o * extent + range.lowerBound) * inner
                    let to = o * length * inner
                    for i in 0..<(length * inner) { dst[to + i] = src[from + i] }
                }
            }
        }
        var outShape = shape
        outShape[a] = length
        let inputShape = shape
        return Tensor.recording(
            outShape, out,
            [
                (
                    self,
                    { g in
                        var dx = [Float](repeating: 0, count: outer * extent * inner)
                        for o in 0..<outer {
                            for i in 0..<(length * inner) {
                                dx[(o * extent + range.lowerBound) * inner + i] = g.scalars[o * length * inner + i]
                            }
                        }
                        return Tensor(shape: inputShape, scalars: dx)
                    }
                )
            ])
    }

    /// Joins tensors along `axis`; all other extents must agree.
    public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate: no tensors")
        let first = tensors[0]
        let a = first.normalizedAxis(axis, "concatenate")
        for t in tensors {
            var s1 = t.shape, s0 = first.shape
            precondition(s1.count == s0.count, "concatenate: shapes \(tensors.map(\.shape)) differ in rank")
            s1[a] = 0
            s0[a] = 0
            precondition(s1 == s0, "concatenate: shapes \(tensors.map(\.shape)) differ outside axis \(axis)")
        }
        let (outer, _, inner) = first.splitAround(a)
        let extents = tensors.map { $0.shape[a] }
        let total = extents.reduce(0, +)
        var out = [Float](repeating: 0, count: outer * total * inner)
        var offset = 0
        for t in tensors {
            let e = t.shape[a]
            t.scalars.withUnsafeBufferPointer { src in
                for o in 0..<outer {
                    for i in 0..<(e * inner) { out[(o * total + offset) * inner + i] = src[o * e * inner + i] }
                }
            }
            offset += e
        }
        var outShape = first.shape
        outShape[a] = total
        var starts: [Int] = []
        var running = 0
        for e in extents {
            starts.append(running)
            running += e
        }
        let inputs: [(Tensor, (Tensor) -> Tensor)] = tensors.enumerated().map { index, t in
            (t, { $0.slice(starts[index]..<(starts[index] + extents[index]), alongAxis: a) })
        }
        return recording(outShape, out, inputs)
    }

    /// Rows (entries along axis 0) picked by `indices`, which may repeat: the result has `indices.count` rows.
    ///
    /// This is how a batch is paired with its permutation. Differentiable: gradients are scatter-added back.
    public func gathering(rows indices: [Int]) -> Tensor {
        precondition(rank >= 1, "gathering(rows:): scalar tensor")
        let rows = shape[0]
        let rowSize = rows == 0 ? 0 : count / rows
        var out = [Float](repeating: 0, count: indices.count * rowSize)
        scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (r, index) in indices.enumerated() {
                    precondition(
                        index >= 0 && index < rows, "gathering(rows:): index \(index) out of range for \(rows) rows")
                    if rowSize > 0 {
                        (dst.baseAddress! + r * rowSize).update(
                            from: src.baseAddress! + index * rowSize, count: rowSize)
                    }
                }
            }
        }
        var outShape = shape
        outShape[0] = indices.count
        let inputShape = shape
        return Tensor.recording(
            outShape, out,
            [
                (
                    self,
                    { g in
                        var dx = [Float](repeating: 0, count: rows * rowSize)
                        g.scalars.withUnsafeBufferPointer { pg in
                            dx.withUnsafeMutableBufferPointer { pd in
                                guard rowSize > 0, let src = pg.baseAddress, let dst = pd.baseAddress else { return }
                                for (r, index) in indices.enumerated() {
                                    let from = src + r * rowSize, to = dst + index * rowSize
                                    for i in 0..<rowSize { to[i] += from[i] }
                                }
                            }
                        }
                        return Tensor(shape: inputShape, scalars: dx)
                    }
                )
            ])
    }

    /// Zero-pads the last two (spatial) axes of `[..., height, width]` by the given amounts.
    public func padded(top: Int, bottom: Int, left: Int, right: Int, value: Float = 0) -> Tensor {
        precondition(rank >= 2, "padded: needs [..., height, width], got \(shape)")
        precondition(
            top >= 0 && bottom >= 0 && left >= 0 && right >= 0, "padded: negative padding \([top, bottom, left, right])"
        )
        let h = shape[rank - 2], w = shape[rank - 1]
        let planes = shape.dropLast(2).reduce(1, *)
        let oh = h + top + bottom, ow = w + left + right
        var out = [Float](repeating: value, count: planes * oh * ow)
        scalars.withUnsafeBufferPointer { src in
            for p in 0..<planes {
                for y in 0..<h {
                    for x in 0..<w { out[(p * oh + y + top) * ow + x + left] = src[(p * h + y) * w + x] }
                }
            }
        }
        var outShape = shape
        outShape[rank - 2] = oh
        outShape[rank - 1] = ow
        return Tensor.recording(outShape, out, [(self, { $0.cropped(top: top, left: left, height: h, width: w) })])
    }

    /// The `[..., height, width]` window whose top-left corner is at (`top`, `left`).
    public func cropped(top: Int, left: Int, height: Int, width: Int) -> Tensor {
        precondition(rank >= 2, "cropped: needs [..., height, width], got \(shape)")
        let h = shape[rank - 2], w = shape[rank - 1]
        precondition(
            top >= 0 && left >= 0 && height >= 0 && width >= 0 && top + height <= h && left + width <= w,
            "cropped: window top \(top) left \(left) size \(height)×\(width) does not fit in \(h)×\(w)")
        let planes = shape.dropLast(2).reduce(1, *)
        var out = [Float](repeating: 0, count: planes * height * width)
        scalars.withUnsafeBufferPointer { src in
            for p in 0..<planes {
                for y in 0..<height {
                    for x in 0..<width { out[(p * height + y) * width + x] = src[(p * h + y + top) * w + x + left] }
                }
            }
        }
        var outShape = shape
        outShape[rank - 2] = height
        outShape[rank - 1] = width
        return Tensor.recording(
            outShape, out,
            [(self, { $0.padded(top: top, bottom: h - height - top, left: left, right: w - width - left) })])
    }
}
