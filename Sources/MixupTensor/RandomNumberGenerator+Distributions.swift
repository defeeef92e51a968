import Foundation

/// The distributions MixupKit draws from, on any generator. All are deterministic functions of the generator's
/// stream, so a `SeededGenerator` with a fixed seed reproduces them bit for bit.
extension RandomNumberGenerator {
    /// A uniform `Double` in [0, 1) with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform `Float` in [0, 1) with 24 random bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// A uniform integer in `0..<upperBound` without modulo bias (Lemire's multiply-shift method).
    ///
    /// - Precondition: `upperBound > 0`.
    public mutating func nextIndex(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "nextIndex(below:): upperBound must be positive, got \(upperBound)")
        let bound = UInt64(upperBound)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }

    /// A uniform `Double` in [lower, upper).
    public mutating func nextUniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * nextUnitDouble()
    }

    /// A standard normal draw (Box–Muller transform).
    public mutating func nextNormal() -> Double {
        var u1 = nextUnitDouble()
        while u1 <= .leastNormalMagnitude { u1 = nextUnitDouble() }
        let u2 = nextUnitDouble()
        return boxMullerNormal(u1, u2)
    }

    /// `true` with probability `p`.
    ///
    /// - Precondition: `p` ∈ [0, 1].
    public mutating func nextBernoulli(_ p: Double) -> Bool {
        precondition(p >= 0 && p <= 1, "nextBernoulli: probability must be in [0, 1], got \(p)")
        return nextUnitDouble() < p
    }

    /// The logarithm of a Gamma(shape, 1) draw.
    ///
    /// Marsaglia & Tsang (2000) for shape ≥ 1; for shape < 1 the boost Gamma(a) = Gamma(a + 1) · U^(1/a), kept in log
    /// space so that tiny shapes (α = 0.2 gives draws like 1e-30) neither underflow nor lose precision.
    /// - Precondition: `shape > 0`.
    public mutating func nextLogGamma(shape: Double) -> Double {
        precondition(shape > 0 && shape.isFinite, "Gamma shape must be positive and finite, got \(shape)")
        if shape < 1 {
            var u = nextUnitDouble()
            while u <= 0 { u = nextUnitDouble() }
            return nextLogGamma(shape: shape + 1) + Foundation.log(u) / shape
        }
        let d = shape - 1.0 / 3.0
        let c = 1.0 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = nextNormal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextUnitDouble()
            if u < 1 - 0.0331 * x * x * x * x { return Foundation.log(d * v) }
            if u > 0, Foundation.log(u) < 0.5 * x * x + d * (1 - v + Foundation.log(v)) { return Foundation.log(d * v) }
        }
    }

    /// A Gamma(shape, 1) draw. See ``nextLogGamma(shape:)``.
    public mutating func nextGamma(shape: Double) -> Double {
        Foundation.exp(nextLogGamma(shape: shape))
    }

    /// A Beta(α, β) draw in [0, 1], computed as X / (X + Y) with X ~ Gamma(α), Y ~ Gamma(β) in log space, so that
    /// small α (the common Mixup setting α = 0.2, whose draws pile up near 0 and 1) is sampled correctly.
    ///
    /// - Precondition: `alpha > 0`, `beta > 0`.
    public mutating func nextBeta(_ alpha: Double, _ beta: Double) -> Double {
        precondition(alpha > 0 && alpha.isFinite, "Beta: alpha must be positive and finite, got \(alpha)")
        precondition(beta > 0 && beta.isFinite, "Beta: beta must be positive and finite, got \(beta)")
        let logX = nextLogGamma(shape: alpha)
        let logY = nextLogGamma(shape: beta)
        // x / (x + y) = 1 / (1 + exp(logY - logX)), stable for any magnitudes.
        return 1 / (1 + Foundation.exp(logY - logX))
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates).
    public mutating func nextPermutation(_ count: Int) -> [Int] {
        precondition(count >= 0, "nextPermutation: count must be non-negative, got \(count)")
        var result = Array(0..<count)
        if count < 2 { return result }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = nextIndex(below: i + 1)
            result.swapAt(i, j)
        }
        return result
    }

    /// Shuffles `array` in place (Fisher–Yates with ``nextIndex(below:)``, reproducible across platforms).
    public mutating func shuffle<T>(_ array: inout [T]) {
        if array.count < 2 { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, nextIndex(below: i + 1))
        }
    }
}

/// The Box–Muller transform of ``RandomNumberGenerator/nextNormal()``: a standard normal from `u1` ∈ (0, 1) and
/// `u2` ∈ [0, 1). Shared with ``NormalDraws`` so that both give the same value bit for bit.
@inline(__always)
func boxMullerNormal(_ u1: Double, _ u2: Double) -> Double {
    (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
}
