import MixupKit
import Testing

@Suite struct PairingTests {
    static let modes: [Pairing] = [.permutation, .derangement, .randomPairs, .reversed]

    @Test(arguments: modes, [0, 1, 2, 3, 8, 127])
    func partnersAreAValidPermutation(mode: Pairing, batch: Int) {
        for seed: UInt64 in 0..<5 {
            var generator = SeededGenerator(seed: seed)
            let partners = mode.partners(batchSize: batch, using: &generator)
            #expect(partners.count == batch)
            #expect(partners.allSatisfy { $0 >= 0 && $0 < batch })
            // Every sample is used exactly once as a partner.
            #expect(Set(partners).count == batch, "\(mode) batch \(batch): \(partners)")
        }
    }

    @Test(arguments: [2, 3, 4, 7, 8, 127])
    func derangementHasNoFixedPoints(batch: Int) {
        for seed: UInt64 in 0..<20 {
            var generator = SeededGenerator(seed: seed)
            let partners = Pairing.derangement.partners(batchSize: batch, using: &generator)
            #expect((0..<batch).allSatisfy { partners[$0] != $0 }, "\(partners)")
        }
    }

    @Test(arguments: [Pairing.randomPairs, .reversed], [1, 2, 3, 8, 9, 127])
    func symmetricPairingsAreInvolutions(mode: Pairing, batch: Int) {
        #expect(mode.isSymmetric)
        for seed: UInt64 in 0..<5 {
            var generator = SeededGenerator(seed: seed)
            let partners = mode.partners(batchSize: batch, using: &generator)
            #expect((0..<batch).allSatisfy { partners[partners[$0]] == $0 }, "\(partners)")
            // At most the single leftover sample of an odd batch is its own partner.
            let fixed = (0..<batch).filter { partners[$0] == $0 }.count
            #expect(fixed == batch % 2)
        }
    }

    @Test func asymmetricPairingsAreNotMarkedSymmetric() {
        #expect(!Pairing.permutation.isSymmetric)
        #expect(!Pairing.derangement.isSymmetric)
    }

    @Test func reversedPairsEndsTogether() {
        var generator = SeededGenerator(seed: 0)
        #expect(Pairing.reversed.partners(batchSize: 5, using: &generator) == [4, 3, 2, 1, 0])
    }

    @Test func batchOfOneIsItsOwnPartner() {
        for mode in Self.modes {
            var generator = SeededGenerator(seed: 3)
            #expect(mode.partners(batchSize: 1, using: &generator) == [0])
        }
    }

    @Test func sameSeedSamePartnersDifferentSeedsDiffer() {
        for mode in [Pairing.permutation, .derangement, .randomPairs] {
            var a = SeededGenerator(seed: 1)
            var b = SeededGenerator(seed: 1)
            var c = SeededGenerator(seed: 2)
            let pa = mode.partners(batchSize: 16, using: &a)
            #expect(pa == mode.partners(batchSize: 16, using: &b))
            #expect(pa != mode.partners(batchSize: 16, using: &c))
        }
    }

    @Test(arguments: [Pairing.randomPairs, .reversed], [2, 7, 16])
    func perPairLambdaIsSharedByPartners(mode: Pairing, batch: Int) throws {
        let strategy = try InterpolationStrategy(distribution: .beta(alpha: 1), granularity: .perPair, pairing: mode)
        for seed: UInt64 in 0..<5 {
            let plan = try drawPlan(strategy, batch: batch, sampleShape: [3], seed: seed)
            guard case .perSample(let lambdas) = plan.weights else {
                Issue.record("expected per-sample weights")
                continue
            }
            for i in 0..<batch where plan.partners[i] != i {
                #expect(lambdas[i] == lambdas[plan.partners[i]])
                #expect(plan.labelWeights[i] == plan.labelWeights[plan.partners[i]])
            }
            // More than one distinct pair λ once there are several pairs.
            if batch >= 7 { #expect(Set(lambdas).count > 1) }
        }
        let cutMix = try CutMixStrategy(distribution: .beta(alpha: 1), granularity: .perPair, pairing: mode)
        for seed: UInt64 in 0..<5 {
            let plan = try drawPlan(cutMix, batch: batch, sampleShape: [1, 6, 6], seed: seed)
            for i in 0..<batch where plan.partners[i] != i {
                #expect(plan.labelWeights[i] == plan.labelWeights[plan.partners[i]])
            }
        }
    }

    @Test func perPairNeedsASymmetricPairing() {
        expectMixingError(containing: "permutation") {
            _ = try InterpolationStrategy(distribution: .beta(alpha: 1), granularity: .perPair, pairing: .permutation)
        }
        expectMixingError(containing: "derangement") {
            _ = try CutMixStrategy(distribution: .beta(alpha: 1), granularity: .perPair, pairing: .derangement)
        }
    }
}
