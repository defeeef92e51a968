import MixupTensor
import Testing

@Suite struct SeededGeneratorTests {
    @Test func knownAnswers() {
        // xoshiro256** seeded through SplitMix64, checked against an independent reference implementation.
        var zero = SeededGenerator(seed: 0)
        #expect(
            (0..<4).map { _ in zero.next() } == [
                0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0, 0x6AA5_94F1_262D_2D2C,
            ])
        var fortyTwo = SeededGenerator(seed: 42)
        #expect(
            (0..<4).map { _ in fortyTwo.next() } == [
                0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1, 0xECB8_AD47_03B3_60A1,
            ])
        #expect(fortyTwo.seed == 42)
    }

    @Test func sameSeedSameStream() {
        var a = SeededGenerator(seed: 1234), b = SeededGenerator(seed: 1234)
        #expect(a == b)
        for _ in 0..<1000 { #expect(a.next() == b.next()) }
        #expect((0..<50).map { _ in a.nextBeta(0.2, 0.2) } == (0..<50).map { _ in b.nextBeta(0.2, 0.2) })
        #expect(a.nextPermutation(20) == b.nextPermutation(20))
        #expect(a == b)
        _ = a.next()
        #expect(a != b)
    }

    @Test func differentSeedsDiffer() {
        var streams: Set<[UInt64]> = []
        for seed: UInt64 in [0, 1, 2, 3, 42, .max] {
            var g = SeededGenerator(seed: seed)
            streams.insert((0..<8).map { _ in g.next() })
        }
        #expect(streams.count == 6)
        // Adjacent seeds share no outputs in their first values.
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 8)
        let first = Set((0..<100).map { _ in a.next() })
        #expect(first.isDisjoint(with: (0..<100).map { _ in b.next() }))
    }

    @Test func copiesAreIndependentValues() {
        var a = SeededGenerator(seed: 9)
        var copy = a
        let fromCopy = (0..<10).map { _ in copy.next() }
        #expect((0..<10).map { _ in a.next() } == fromCopy)
    }

    @Test func splitGivesIndependentReproducibleStreams() {
        var parent = SeededGenerator(seed: 5)
        var child1 = parent.split()
        var child2 = parent.split()
        let p = (0..<200).map { _ in parent.next() }
        let c1 = (0..<200).map { _ in child1.next() }
        let c2 = (0..<200).map { _ in child2.next() }
        #expect(Set(p).isDisjoint(with: c1))
        #expect(Set(p).isDisjoint(with: c2))
        #expect(Set(c1).isDisjoint(with: c2))
        // Splitting advances the parent and is itself deterministic.
        var again = SeededGenerator(seed: 5)
        var again1 = again.split()
        #expect((0..<200).map { _ in again1.next() } == c1)
        var unsplit = SeededGenerator(seed: 5)
        _ = unsplit.next()
        _ = unsplit.next()
        #expect((0..<200).map { _ in unsplit.next() } == p)
        // Child streams are uncorrelated with the parent: mean of products of centred uniforms ≈ 0.
        var a = SeededGenerator(seed: 77)
        var b = a.split()
        let n = 20_000
        var product = 0.0
        for _ in 0..<n { product += (a.nextUnitDouble() - 0.5) * (b.nextUnitDouble() - 0.5) }
        // Each product has standard deviation 1/12; allow 5 standard errors.
        #expect(abs(product / Double(n)) < 5 * (1.0 / 12) / Double(n).squareRoot())
    }

    @Test func unitFloatsAndDoublesAreInRange() {
        var g = SeededGenerator(seed: 3)
        var floatTotal: Float = 0, doubleTotal = 0.0
        for _ in 0..<10_000 {
            let f = g.nextUnitFloat(), d = g.nextUnitDouble()
            #expect(f >= 0 && f < 1)
            #expect(d >= 0 && d < 1)
            floatTotal += f
            doubleTotal += d
        }
        #expect(abs(floatTotal / 10_000 - 0.5) < 0.015)
        #expect(abs(doubleTotal / 10_000 - 0.5) < 0.015)
        let u = g.nextUniform(-3, -1)
        #expect(u >= -3 && u < -1)
    }

    @Test func nextIndexIsInRangeAndUniform() {
        var g = SeededGenerator(seed: 11)
        let bound = 7, draws = 70_000
        var counts = [Int](repeating: 0, count: bound)
        for _ in 0..<draws {
            let i = g.nextIndex(below: bound)
            #expect(i >= 0 && i < bound)
            counts[i] += 1
        }
        let expected = Double(draws) / Double(bound)
        let chiSquare = counts.map { (Double($0) - expected) * (Double($0) - expected) / expected }.reduce(0, +)
        #expect(chiSquare < 27.9, "χ² = \(chiSquare) with 6 degrees of freedom (counts \(counts))")  // p ≈ 1e-4
        for _ in 0..<100 { #expect(g.nextIndex(below: 1) == 0) }
        for _ in 0..<100 {
            let big = g.nextIndex(below: Int.max)
            #expect(big >= 0 && big < Int.max)
        }
    }

    @Test func permutationsArePermutationsAndUniform() {
        var g = SeededGenerator(seed: 13)
        #expect(g.nextPermutation(0) == [])
        #expect(g.nextPermutation(1) == [0])
        for n in [2, 5, 17] {
            let p = g.nextPermutation(n)
            #expect(p.sorted() == Array(0..<n))
        }
        var counts: [[Int]: Int] = [:]
        let draws = 60_000
        for _ in 0..<draws { counts[g.nextPermutation(3), default: 0] += 1 }
        #expect(counts.count == 6)
        let expected = Double(draws) / 6
        let chiSquare = counts.values.map { (Double($0) - expected) * (Double($0) - expected) / expected }.reduce(0, +)
        #expect(chiSquare < 25.7, "χ² = \(chiSquare) with 5 degrees of freedom (counts \(counts))")  // p ≈ 1e-4
    }

    @Test func shuffleIsAPermutation() {
        var g = SeededGenerator(seed: 17)
        var values = Array(0..<50)
        g.shuffle(&values)
        #expect(values.sorted() == Array(0..<50))
        #expect(values != Array(0..<50))
        var empty: [Int] = []
        g.shuffle(&empty)
        #expect(empty.isEmpty)
        // Same seed, same shuffle.
        var h1 = SeededGenerator(seed: 18), h2 = SeededGenerator(seed: 18)
        var a = Array(0..<10), b = Array(0..<10)
        h1.shuffle(&a)
        h2.shuffle(&b)
        #expect(a == b)
    }

    @Test func bernoulli() {
        var g = SeededGenerator(seed: 19)
        #expect((0..<100).allSatisfy { _ in !g.nextBernoulli(0) })
        #expect((0..<100).allSatisfy { _ in g.nextBernoulli(1) })
        let hits = (0..<20_000).filter { _ in g.nextBernoulli(0.3) }.count
        // Standard error sqrt(0.3·0.7/20000) ≈ 0.0032.
        #expect(abs(Double(hits) / 20_000 - 0.3) < 0.016)
    }
}
