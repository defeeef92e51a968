import Foundation
import MixupData
import MixupTensor
import Testing

@Test func twoSpiralsHasShapeAndBalancedLabels() throws {
    var generator = SeededGenerator(seed: 1)
    let data = SyntheticData.twoSpirals(pointsPerClass: 100, noise: 0.05, using: &generator)
    #expect(data.sampleShape == [2])
    #expect(data.count == 200)
    #expect(data.classCount == 2)
    #expect(data.classCounts() == [100, 100])
    #expect(data.samples.allSatisfy { abs($0) < 1.5 })
}

@Test func twoSpiralsIsDeterministicForASeed() {
    var first = SeededGenerator(seed: 7)
    var second = SeededGenerator(seed: 7)
    var other = SeededGenerator(seed: 8)
    let a = SyntheticData.twoSpirals(pointsPerClass: 50, noise: 0.1, using: &first)
    let b = SyntheticData.twoSpirals(pointsPerClass: 50, noise: 0.1, using: &second)
    let c = SyntheticData.twoSpirals(pointsPerClass: 50, noise: 0.1, using: &other)
    #expect(a.samples == b.samples)
    #expect(a.labels == b.labels)
    #expect(a.samples != c.samples)
}

@Test func twoSpiralsRadiiInterleaveAlongARay() throws {
    // With two turns and no noise, the ray at angle φ meets the arms at alternating radii:
    // class 0 at (φ + 2πk) / 4π, class 1 at (φ + π + 2πk) / 4π.
    var generator = SeededGenerator(seed: 3)
    let data = SyntheticData.twoSpirals(pointsPerClass: 2000, noise: 0, turns: 2, using: &generator)
    let labels = try #require(data.labels)
    for direction in [0.0, 1.0, 2.5, -2.0] {
        var hits: [(radius: Float, label: Int)] = []
        for i in 0..<data.count {
            let x = Double(data.samples[2 * i])
            let y = Double(data.samples[2 * i + 1])
            var delta = atan2(y, x) - direction
            delta = atan2(sin(delta), cos(delta))
            if abs(delta) < 0.05 { hits.append((Float((x * x + y * y).squareRoot()), labels[i])) }
        }
        hits.sort { $0.radius < $1.radius }
        var runs: [Int] = []
        for hit in hits where runs.last != hit.label { runs.append(hit.label) }
        #expect(runs.count >= 3, "direction \(direction): label runs \(runs)")
    }
    // Both arms cover the whole radius range.
    for label in 0..<2 {
        let radii: [Float] = (0..<data.count).filter { labels[$0] == label }.map { i in
            let x = data.samples[2 * i]
            let y = data.samples[2 * i + 1]
            return (x * x + y * y).squareRoot()
        }
        #expect((radii.min() ?? 1) < 0.1)
        #expect((radii.max() ?? 0) > 0.9)
        #expect(radii.allSatisfy { $0 <= 1.0001 })
    }
}

@Test func twoMoonsHasShapeRangeAndDeterminism() {
    var first = SeededGenerator(seed: 11)
    var second = SeededGenerator(seed: 11)
    let a = SyntheticData.twoMoons(pointsPerClass: 80, using: &first)
    let b = SyntheticData.twoMoons(pointsPerClass: 80, using: &second)
    #expect(a.sampleShape == [2])
    #expect(a.classCounts() == [80, 80])
    #expect(a.samples == b.samples)
    for i in 0..<a.count {
        #expect(abs(a.samples[2 * i]) <= 1.0001)
        #expect(abs(a.samples[2 * i + 1]) <= 0.5001)
    }
}

@Test func gaussianBlobsClustersAroundDistinctCentres() throws {
    var generator = SeededGenerator(seed: 5)
    let data = SyntheticData.gaussianBlobs(
        pointsPerClass: 400, classCount: 3, dimension: 4, spread: 0.05, using: &generator)
    #expect(data.sampleShape == [4])
    #expect(data.classCount == 3)
    #expect(data.classCounts() == [400, 400, 400])
    let labels = try #require(data.labels)
    var means = [[Double]](repeating: [0, 0, 0, 0], count: 3)
    for i in 0..<data.count {
        for axis in 0..<4 { means[labels[i]][axis] += Double(data.samples[4 * i + axis]) / 400 }
    }
    // Per-coordinate deviation around the class mean ≈ spread.
    var squares = 0.0
    for i in 0..<data.count {
        for axis in 0..<4 {
            let d = Double(data.samples[4 * i + axis]) - means[labels[i]][axis]
            squares += d * d
        }
    }
    let deviation = (squares / Double(data.count * 4)).squareRoot()
    #expect(abs(deviation - 0.05) < 0.005)
    #expect(means.allSatisfy { $0.allSatisfy { abs($0) <= 1.05 } })
    #expect(means[0] != means[1] && means[1] != means[2])

    var again = SeededGenerator(seed: 5)
    let repeated = SyntheticData.gaussianBlobs(
        pointsPerClass: 400, classCount: 3, dimension: 4, spread: 0.05, using: &again)
    #expect(repeated.samples == data.samples)
}
