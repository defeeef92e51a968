/// A batch of standard normal draws whose uniforms are taken from the generator in order, and whose Box–Muller
/// transforms (a logarithm, a square root and a cosine each) run on the compute threads.
///
/// `draw(n, using:)` consumes the generator exactly as `n` calls of ``RandomNumberGenerator/nextNormal()`` do, and
/// ``add(scaledBy:to:)`` adds `scale × Float(normal)` with the values `nextNormal()` would have returned, so code that
/// switches to it keeps its results bit for bit.
///
/// Exposed to the other engine modules (data augmentation) as SPI, not as public API.
@_spi(MixupEngine) public struct NormalDraws {
    /// The uniform pairs (u1, u2), interleaved.
    private var uniforms: [Double] = []

    /// An empty batch with room for `capacity` draws.
    public init(capacity: Int = 0) { uniforms.reserveCapacity(2 * capacity) }

    /// The number of draws taken so far.
    public var count: Int { uniforms.count / 2 }

    /// Takes the uniforms of `count` more normal draws from `generator`, in the order `nextNormal()` takes them.
    public mutating func draw(_ count: Int, using generator: inout some RandomNumberGenerator) {
        uniforms.reserveCapacity(uniforms.count + 2 * count)
        for _ in 0..<count {
            var u1 = generator.nextUnitDouble()
            while u1 <= .leastNormalMagnitude { u1 = generator.nextUnitDouble() }
            uniforms.append(u1)
            uniforms.append(generator.nextUnitDouble())
        }
    }

    /// Adds `scale × Float(zᵢ)` to `destination[i]` for every draw `i` in `0..<count`, zᵢ the i-th standard normal.
    ///
    /// - Precondition: `destination` has room for ``count`` elements.
    public func add(scaledBy scale: Float, to destination: UnsafeMutablePointer<Float>) {
        uniforms.withUnsafeBufferPointer { u in
            let pairs = u.baseAddress!
            // A log, a sqrt and a cos: tens of nanoseconds per draw.
            Parallel.forEachChunk(count, costPerItem: 64) { range in
                for i in range { destination[i] += scale * Float(boxMullerNormal(pairs[2 * i], pairs[2 * i + 1])) }
            }
        }
    }
}
