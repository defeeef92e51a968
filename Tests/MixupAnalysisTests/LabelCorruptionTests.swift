import Foundation
import MixupKit
import Testing

@Suite struct LabelCorruptionTests {
    func dataset(_ count: Int) throws -> Dataset {
        try Dataset(
            name: "d", sampleShape: [1], samples: (0..<count).map(Float.init), labels: (0..<count).map { $0 % 10 },
            classCount: 10)
    }

    @Test(arguments: [0.0, 0.2, 0.5, 0.8, 1.0])
    func corruptsExactlyTheRequestedFraction(fraction: Double) throws {
        let data = try dataset(1000)
        var generator = SeededGenerator(seed: 7)
        let corruption = try LabelCorruption(data, fraction: fraction, using: &generator)
        let original = data.labels ?? []
        let noisy = corruption.dataset.labels ?? []
        let changed = original.indices.filter { original[$0] != noisy[$0] }
        #expect(changed.count == Int(fraction * 1000))
        #expect(changed == corruption.corruptedIndices)
        #expect(corruption.fraction == fraction)
        #expect(noisy.allSatisfy { $0 >= 0 && $0 < 10 })
    }

    @Test func theSameSeedGivesTheSameCorruption() throws {
        let data = try dataset(500)
        var a = SeededGenerator(seed: 11), b = SeededGenerator(seed: 11), c = SeededGenerator(seed: 12)
        let first = try LabelCorruption(data, fraction: 0.5, using: &a)
        let second = try LabelCorruption(data, fraction: 0.5, using: &b)
        let other = try LabelCorruption(data, fraction: 0.5, using: &c)
        #expect(first.corruptedIndices == second.corruptedIndices && first.dataset.labels == second.dataset.labels)
        #expect(first.corruptedIndices != other.corruptedIndices)
    }

    @Test func badFractionsAreRejectedNamingTheValue() throws {
        var generator = SeededGenerator(seed: 0)
        do {
            _ = try LabelCorruption(try dataset(10), fraction: 2, using: &generator)
            Issue.record("a fraction of 2 was accepted")
        } catch {
            #expect("\(error)".contains("2.0"))
        }
    }
}
