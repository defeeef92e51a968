import MixupKit
import Testing

@Suite struct MixWeightDistributionTests {
    static func draws(_ distribution: MixWeightDistribution, count: Int = 2000, seed: UInt64 = 1) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in distribution.sample(using: &generator) }
    }

    @Test(arguments: [0.2, 0.4, 1.0, 2.0])
    func betaDrawsAreInUnitIntervalWithMeanOneHalf(alpha: Double) throws {
        let values = Self.draws(try .beta(alpha: alpha))
        #expect(values.allSatisfy { $0 >= 0 && $0 <= 1 && $0.isFinite })
        let mean = values.reduce(0, +) / Double(values.count)
        #expect(abs(mean - 0.5) < 0.04, "mean \(mean)")
    }

    @Test func smallAlphaPilesUpNearTheEnds() throws {
        let values = Self.draws(try .beta(alpha: 0.2))
        let extreme = values.filter { $0 < 0.1 || $0 > 0.9 }.count
        #expect(Double(extreme) / Double(values.count) > 0.5)
    }

    @Test func asymmetricBetaHasTheRightMean() throws {
        let values = Self.draws(try .beta(alpha: 3, beta: 1))
        let mean = values.reduce(0, +) / Double(values.count)
        #expect(abs(mean - 0.75) < 0.03, "mean \(mean)")
    }

    @Test(arguments: [0.2, 1.0])
    func keepingOriginalDominantDrawsAreAtLeastOneHalf(alpha: Double) throws {
        let distribution = try MixWeightDistribution.beta(alpha: alpha).keepingOriginalDominant()
        #expect(distribution.keepsOriginalDominant)
        let values = Self.draws(distribution)
        #expect(values.allSatisfy { $0 >= 0.5 && $0 <= 1 })
        #expect(try !MixWeightDistribution.beta(alpha: alpha).keepsOriginalDominant)
    }

    @Test func fixedAlwaysReturnsItsValue() throws {
        #expect(Self.draws(try .fixed(0.3), count: 10).allSatisfy { $0 == 0.3 })
        #expect(Self.draws(try .fixed(1), count: 10).allSatisfy { $0 == 1 })
        #expect(
            Self.draws(try MixWeightDistribution.fixed(0.2).keepingOriginalDominant(), count: 10).allSatisfy {
                abs($0 - 0.8) < 1e-12
            })
    }

    @Test func uniformStaysInItsRange() throws {
        let values = Self.draws(try .uniform(0.25, 0.5))
        #expect(values.allSatisfy { $0 >= 0.25 && $0 <= 0.5 })
    }

    @Test func sameSeedSameDraws() throws {
        let d = try MixWeightDistribution.beta(alpha: 0.4)
        #expect(Self.draws(d, count: 50, seed: 7) == Self.draws(d, count: 50, seed: 7))
        #expect(Self.draws(d, count: 50, seed: 7) != Self.draws(d, count: 50, seed: 8))
    }

    @Test func equatableComparesKindAndDominance() throws {
        #expect(try MixWeightDistribution.beta(alpha: 1) == .beta(alpha: 1))
        #expect(try MixWeightDistribution.beta(alpha: 1) == .beta(alpha: 1, beta: 1))
        #expect(try MixWeightDistribution.beta(alpha: 1) != .beta(alpha: 2))
        #expect(
            try MixWeightDistribution.beta(alpha: 1) != MixWeightDistribution.beta(alpha: 1).keepingOriginalDominant())
    }

    @Test func invalidSettingsThrowNamingTheValue() {
        expectMixingError(containing: "1.5") { _ = try MixWeightDistribution.fixed(1.5) }
        expectMixingError(containing: "-0.1") { _ = try MixWeightDistribution.fixed(-0.1) }
        expectMixingError(containing: "0.0") { _ = try MixWeightDistribution.beta(alpha: 0) }
        expectMixingError(containing: "-1") { _ = try MixWeightDistribution.beta(alpha: -1) }
        expectMixingError(containing: "inf") { _ = try MixWeightDistribution.beta(alpha: .infinity) }
        expectMixingError(containing: "nan") { _ = try MixWeightDistribution.beta(alpha: .nan) }
        expectMixingError(containing: "-2") { _ = try MixWeightDistribution.beta(alpha: 1, beta: -2) }
        expectMixingError(containing: "0.9") { _ = try MixWeightDistribution.uniform(0.9, 0.1) }
        expectMixingError(containing: "1.2") { _ = try MixWeightDistribution.uniform(0.1, 1.2) }
    }
}
