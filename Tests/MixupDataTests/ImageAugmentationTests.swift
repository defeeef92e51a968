import MixupData
import MixupTensor
import Testing
import _MixupTestSupport

/// A `[2, 1, 3, 3]` batch holding 1...18.
private var batch: Tensor { Tensor(shape: [2, 1, 3, 3], scalars: (1...18).map(Float.init)) }

@Test func identityAugmentationReturnsInputAndDrawsNothing() {
    var generator = SeededGenerator(seed: 1)
    let before = generator
    let output = ImageAugmentation().apply(to: batch, using: &generator)
    #expect(ImageAugmentation().isIdentity)
    #expect(output.scalars == batch.scalars)
    #expect(generator == before)
}

@Test func alwaysFlipMirrorsEachRow() {
    var generator = SeededGenerator(seed: 1)
    let output = ImageAugmentation(flipProbability: 1).apply(to: batch, using: &generator)
    #expect(output.shape == [2, 1, 3, 3])
    #expect(output.scalars == [3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10, 15, 14, 13, 18, 17, 16])
}

@Test func cropShiftsWithZeroPaddingAndKeepsShape() throws {
    // Each output is the input shifted by (dy, dx) ∈ [-1, 1]² with zeros filled in; recover the shift and check.
    var generator = SeededGenerator(seed: 4)
    let images = Tensor(shape: [64, 2, 4, 5], scalars: (0..<(64 * 40)).map { Float($0 % 40 + 1) })
    let output = ImageAugmentation(padding: 1).apply(to: images, using: &generator)
    #expect(output.shape == images.shape)
    var shifts = Set<[Int]>()
    for sample in 0..<64 {
        let values = Array(output.scalars[(sample * 40)..<((sample + 1) * 40)])
        var matched: [Int]?
        for dy in -1...1 {
            for dx in -1...1 {
                var expected = [Float](repeating: 0, count: 40)
                for c in 0..<2 {
                    for y in 0..<4 {
                        for x in 0..<5 where (0..<4).contains(y + dy) && (0..<5).contains(x + dx) {
                            expected[c * 20 + y * 5 + x] = Float(c * 20 + (y + dy) * 5 + (x + dx) + 1)
                        }
                    }
                }
                if expected == values { matched = [dy, dx] }
            }
        }
        shifts.insert(try #require(matched, "sample \(sample) is not a shifted copy"))
    }
    #expect(shifts.count == 9, "every offset should appear in 64 draws, saw \(shifts)")
}

@Test func flipProbabilityIsRespectedPerSample() {
    var generator = SeededGenerator(seed: 9)
    let rows = Tensor(shape: [1000, 1, 1, 2], scalars: (0..<2000).map { Float($0 % 2 + 1) })
    let output = ImageAugmentation(flipProbability: 0.3).apply(to: rows, using: &generator)
    let flipped = stride(from: 0, to: 2000, by: 2).filter { output.scalars[$0] == 2 }.count
    #expect(flipped > 240 && flipped < 360, "flipped \(flipped) of 1000")
}

@Test func sameSeedGivesSameAugmentation() {
    let augmentation = ImageAugmentation(padding: 2, flipProbability: 0.5, noiseStandardDeviation: 0.1)
    var first = SeededGenerator(seed: 21)
    var second = SeededGenerator(seed: 21)
    var other = SeededGenerator(seed: 22)
    let a = augmentation.apply(to: batch, using: &first)
    let b = augmentation.apply(to: batch, using: &second)
    let c = augmentation.apply(to: batch, using: &other)
    #expect(a.scalars == b.scalars)
    #expect(a.scalars != c.scalars)
}

@Test func noiseOnlyAppliesToFeatureBatches() {
    var generator = SeededGenerator(seed: 2)
    let features = Tensor.zeros([200, 50])
    // Crop and flip settings are ignored for rank-2 batches; noise has the requested deviation.
    let output = ImageAugmentation(padding: 3, flipProbability: 1, noiseStandardDeviation: 0.5)
        .apply(to: features, using: &generator)
    #expect(output.shape == [200, 50])
    let mean = output.scalars.reduce(0, +) / Float(output.count)
    let deviation = (output.scalars.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(output.count)).squareRoot()
    #expect(abs(mean) < 0.02)
    #expect(abs(deviation - 0.5) < 0.02)
    #expect(!output.requiresGradient)
}

@Test func noiseFollowsTheDocumentedDrawOrderOnEveryThreadCount() {
    // Per sample: crop offsets, flip decision, then one nextNormal() per element. The noise's transforms run on the
    // compute threads; the values must still be exactly those of this sequential reference.
    let images = Tensor(shape: [40, 1, 8, 8], scalars: (0..<2560).map { Float($0 % 7) })
    let augmentation = ImageAugmentation(padding: 1, flipProbability: 0.5, noiseStandardDeviation: 0.3)
    var reference = SeededGenerator(seed: 5)
    var expected = [Float]()
    for sample in 0..<40 {
        let dy = reference.nextIndex(below: 3) - 1
        let dx = reference.nextIndex(below: 3) - 1
        let flipped = reference.nextBernoulli(0.5)
        for y in 0..<8 {
            for x in 0..<8 {
                let sy = y + dy, sx = (flipped ? 7 - x : x) + dx
                let inside = sy >= 0 && sy < 8 && sx >= 0 && sx < 8
                expected.append(inside ? images.scalars[sample * 64 + sy * 8 + sx] : 0)
            }
        }
        for i in (sample * 64)..<(sample * 64 + 64) { expected[i] += 0.3 * Float(reference.nextNormal()) }
    }
    let previous = ComputeThreads.count
    defer { ComputeThreads.set(previous) }
    for threads in [1, 2, 3] {
        ComputeThreads.set(threads)
        var generator = SeededGenerator(seed: 5)
        let output = augmentation.apply(to: images, using: &generator)
        #expect(output.scalars == expected, "\(threads) threads")
        var after = reference  // a copy of the reference's state after all its draws
        #expect(generator.next() == after.next(), "\(threads) threads: the generator advanced differently")
    }
}
