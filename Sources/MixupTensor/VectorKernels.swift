/// Small vectorised loops for memory-bound reductions. A plain `for` loop summing floats is not vectorised (IEEE
/// addition is not reassociated), so these keep 16 (or 8) independent partial sums in SIMD registers. The summation
/// order depends only on the length, so results are deterministic.
enum VectorKernels {
    /// Σ x[i].
    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        let raw = UnsafeRawPointer(x)
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
        var i = 0
        while i + 16 <= count {
            a0 += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            a1 += raw.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self)
            i += 16
        }
        if i + 8 <= count {
            a0 += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var total = (a0 + a1).sum()
        while i < count {
            total += x[i]
            i += 1
        }
        return total
    }

    /// Σ (x[i] − mean)².
    @inline(__always)
    static func sumOfSquaredDeviations(_ x: UnsafePointer<Float>, _ count: Int, mean: Float) -> Float {
        let raw = UnsafeRawPointer(x)
        let m = SIMD8<Float>(repeating: mean)
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
        var i = 0
        while i + 16 <= count {
            let d0 = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - m
            let d1 = raw.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self) - m
            a0 += d0 * d0
            a1 += d1 * d1
            i += 16
        }
        if i + 8 <= count {
            let d0 = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - m
            a0 += d0 * d0
            i += 8
        }
        var total = (a0 + a1).sum()
        while i < count {
            let d = x[i] - mean
            total += d * d
            i += 1
        }
        return total
    }

    /// (Σ g[i], Σ g[i]·(x[i] − mean)·scale) in one pass.
    @inline(__always)
    static func sumAndCenteredDot(
        _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int, mean: Float, scale: Float
    ) -> (Float, Float) {
        let rg = UnsafeRawPointer(g), rx = UnsafeRawPointer(x)
        let m = SIMD8<Float>(repeating: mean), s = SIMD8<Float>(repeating: scale)
        var sg0 = SIMD8<Float>(), sg1 = SIMD8<Float>(), sd0 = SIMD8<Float>(), sd1 = SIMD8<Float>()
        var i = 0
        while i + 16 <= count {
            let g0 = rg.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let g1 = rg.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self)
            let x0 = (rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - m) * s
            let x1 = (rx.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self) - m) * s
            sg0 += g0
            sg1 += g1
            sd0 += g0 * x0
            sd1 += g1 * x1
            i += 16
        }
        if i + 8 <= count {
            let g0 = rg.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let x0 = (rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - m) * s
            sg0 += g0
            sd0 += g0 * x0
            i += 8
        }
        var totalG = (sg0 + sg1).sum()
        var totalD = (sd0 + sd1).sum()
        while i < count {
            totalG += g[i]
            totalD += g[i] * ((x[i] - mean) * scale)
            i += 1
        }
        return (totalG, totalD)
    }

    /// dst[i] = k · (m · g′[i] − Σg − x̂[i] · Σgx̂) with x̂[i] = (x[i] − mean) · inverseStd: batch normalisation's input
    /// gradient for one plane. g′ is `g`, or with `activated` (the fused ReLU's output) 0 where activated[i] ≤ 0.
    /// Element by element the same arithmetic as the scalar formula (no reassociation, no fused multiply-add).
    @inline(__always)
    static func batchNormInputGradient(
        _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, activated: UnsafePointer<Float>?, _ count: Int,
        into dst: UnsafeMutablePointer<Float>,
        k: Float, m: Float, sumG: Float, sumGX: Float, mean: Float, inverseStd: Float
    ) {
        let rg = UnsafeRawPointer(g), rx = UnsafeRawPointer(x), rd = UnsafeMutableRawPointer(dst)
        let vk = SIMD8<Float>(repeating: k), vm = SIMD8<Float>(repeating: m)
        let vsg = SIMD8<Float>(repeating: sumG), vsgx = SIMD8<Float>(repeating: sumGX)
        let vmu = SIMD8<Float>(repeating: mean), vinv = SIMD8<Float>(repeating: inverseStd)
        let zero = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            var g0 = rg.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            if let activated {
                let y0 = UnsafeRawPointer(activated).loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                g0.replace(with: 0, where: y0 .<= zero)
            }
            let xhat = (rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - vmu) * vinv
            rd.storeBytes(of: vk * (vm * g0 - vsg - xhat * vsgx), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count {
            var gi = g[i]
            if let activated, activated[i] <= 0 { gi = 0 }
            dst[i] = k * (m * gi - sumG - ((x[i] - mean) * inverseStd) * sumGX)
            i += 1
        }
    }

    /// out[i] = 0 where y[i] ≤ 0, else g[i]: the ReLU pullback given the ReLU's output `y`, as in ``Tensor/relu()``
    /// (a NaN output passes the gradient through).
    @inline(__always)
    static func maskByPositive(
        _ g: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ count: Int, into out: UnsafeMutablePointer<Float>
    ) {
        let rg = UnsafeRawPointer(g), ry = UnsafeRawPointer(y), ro = UnsafeMutableRawPointer(out)
        let zero = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            let g0 = rg.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let y0 = ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            ro.storeBytes(of: g0.replacing(with: 0, where: y0 .<= zero), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count {
            out[i] = y[i] <= 0 ? 0 : g[i]
            i += 1
        }
    }
}
