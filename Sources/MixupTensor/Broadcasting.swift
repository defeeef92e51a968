/// Shape arithmetic for NumPy-style broadcasting: axes are aligned from the right, and an extent of 1 stretches.
enum Broadcasting {
    /// The broadcast shape of `a` and `b`, or `nil` if they are incompatible.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 {
                result[i] = da
            } else if da == 1 {
                result[i] = db
            } else {
                return nil
            }
        }
        return result
    }

    /// Strides of `shape` viewed as `outShape` (0 along broadcast axes).
    static func strides(of shape: [Int], in outShape: [Int]) -> [Int] {
        let padded = [Int](repeating: 1, count: outShape.count - shape.count) + shape
        let base = contiguousStrides(padded)
        return zip(padded, base).map { $0.0 == 1 ? 0 : $0.1 }
    }

    /// Calls `body(outOffset, aOffset, bOffset, length, aStep, bStep)` for every row of the last axis of `outShape`.
    @inline(__always)
    static func forEachRow(
        _ outShape: [Int], _ aStrides: [Int], _ bStrides: [Int],
        _ body: (_ out: Int, _ a: Int, _ b: Int, _ length: Int, _ aStep: Int, _ bStep: Int) -> Void
    ) {
        if outShape.count == 0 {
            body(0, 0, 0, 1, 0, 0)
            return
        }
        // Merge neighbouring axes that both operands traverse uniformly (contiguously, or not at all), so that e.g.
        // [B, C, H, W] × [B, 1, 1, 1] runs as B rows of C·H·W and [B, C, H, W] × [1, C, 1, 1] as B·C rows of H·W.
        var outShape = outShape, aStrides = aStrides, bStrides = bStrides
        var axis = outShape.count - 2
        while axis >= 0 {
            let inner = outShape[axis + 1]
            if aStrides[axis] == aStrides[axis + 1] * inner && bStrides[axis] == bStrides[axis + 1] * inner {
                outShape[axis + 1] *= outShape[axis]
                outShape.remove(at: axis)
                aStrides.remove(at: axis)
                bStrides.remove(at: axis)
            }
            axis -= 1
        }
        let rank = outShape.count
        let length = outShape[rank - 1]
        let rows = outShape.reduce(1, *) / max(length, 1)
        if length == 0 { return }
        var index = [Int](repeating: 0, count: rank)
        var aOffset = 0
        var bOffset = 0
        for row in 0..<rows {
            body(row * length, aOffset, bOffset, length, aStrides[rank - 1], bStrides[rank - 1])
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                aOffset += aStrides[axis]
                bOffset += bStrides[axis]
                if index[axis] < outShape[axis] { break }
                aOffset -= aStrides[axis] * index[axis]
                bOffset -= bStrides[axis] * index[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}

extension Tensor {
    /// Sums this tensor down to `target`, the inverse of broadcasting `target` up to `shape` (used by pullbacks).
    ///
    /// - Precondition: `target` broadcasts to `shape`.
    public func summed(toShape target: [Int]) -> Tensor {
        if target == shape { return self }
        precondition(
            Broadcasting.shape(target, shape) == shape, "summed(toShape:): \(target) does not broadcast to \(shape)")
        let targetCount = target.reduce(1, *)
        var out = [Float](repeating: 0, count: targetCount)
        let targetStrides = Broadcasting.strides(of: target, in: shape)
        let zeroStrides = [Int](repeating: 0, count: shape.count)
        scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                Broadcasting.forEachRow(shape, targetStrides, zeroStrides) { o, t, _, length, tStep, _ in
                    if tStep == 0 {
                        dst[t] += VectorKernels.sum(src.baseAddress! + o, length)
                    } else {
                        for i in 0..<length { dst[t + i] += src[o + i] }
                    }
                }
            }
        }
        guard Tensor.needsRecord(self) else { return Tensor(shape: target, scalars: out) }
        let originalShape = shape
        return Tensor.recording(target, out, [(self, { $0.broadcast(to: originalShape) })])
    }

    /// This tensor broadcast to `target` (a copy).
    ///
    /// - Precondition: the shape broadcasts to `target`.
    public func broadcast(to target: [Int]) -> Tensor {
        if target == shape { return self }
        precondition(
            Broadcasting.shape(shape, target) == target, "broadcast(to:): \(shape) does not broadcast to \(target)")
        let source = self
        var out = [Float](repeating: 0, count: target.reduce(1, *))
        let sourceStrides = Broadcasting.strides(of: shape, in: target)
        let zeroStrides = [Int](repeating: 0, count: target.count)
        scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                Broadcasting.forEachRow(target, sourceStrides, zeroStrides) { o, s, _, length, sStep, _ in
                    for i in 0..<length { dst[o + i] = src[s + i * sStep] }
                }
            }
        }
        let originalShape = shape
        return Tensor.recording(target, out, [(source, { $0.summed(toShape: originalShape) })])
    }
}
