import MixupKit
import Testing

@Suite struct SwitchingStrategyTests {
    static func mixupOrCutMix(_ p: Double) throws -> SwitchingStrategy {
        try SwitchingStrategy([(InterpolationStrategy.mixup(alpha: 1), p), (CutMixStrategy.cutMix(alpha: 1), 1 - p)])
    }

    @Test(arguments: [1, 3, 127], [UInt64(1), 2, 3, 4])
    func targetsAreValidAndApplyFollowsTheRoute(batch: Int, seed: UInt64) throws {
        let strategy = try Self.mixupOrCutMix(0.5)
        let plan = try drawPlan(strategy, batch: batch, sampleShape: [2, 6, 6], seed: seed)
        try expectValidTargets(plan)
        let route = try #require(routeOf(plan).first)
        #expect(routeOf(plan).count == 1)
        let x = randomBatch([batch, 2, 6, 6], seed: seed)
        let mixed = try strategy.apply(plan, to: x)
        expectSelfPairedRowsUnchanged(plan, input: x, output: mixed)
        if route == 0 {
            guard case .perSample = plan.weights else { Issue.record("mixup branch drew a mask"); return }
        } else {
            expectLabelWeightsMatchMask(plan)
            try expectLabelWeightsMatchData(strategy, plan, channels: 2)
        }
        var inner = plan
        inner.payload = nil
        #expect(try mixed.scalars == plan.mix(x).scalars)
        #expect(try inner.mix(x).scalars == mixed.scalars)
    }

    @Test func probabilityOnePicksTheFirstAlways() throws {
        let strategy = try Self.mixupOrCutMix(1)
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<200 {
            let plan = try strategy.plan(batchSize: 2, sampleShape: [1, 4, 4], using: &generator)
            #expect(routeOf(plan) == [0])
        }
        let second = try Self.mixupOrCutMix(0)
        for _ in 0..<200 {
            #expect(routeOf(try second.plan(batchSize: 2, sampleShape: [1, 4, 4], using: &generator)) == [1])
        }
    }

    @Test(arguments: [0.2, 0.5, 0.8])
    func pickFrequenciesMatchTheProbabilities(p: Double) throws {
        let strategy = try Self.mixupOrCutMix(p)
        var generator = SeededGenerator(seed: 9)
        let draws = 2000
        var first = 0
        for _ in 0..<draws
        where routeOf(try strategy.plan(batchSize: 2, sampleShape: [1, 4, 4], using: &generator)) == [0] {
            first += 1
        }
        // 4 standard deviations of a binomial proportion with n = 2000 is at most 0.045.
        #expect(abs(Double(first) / Double(draws) - p) < 0.045, "picked the first \(first) times out of \(draws)")
    }

    @Test func zeroProbabilityOptionsAreNeverPicked() throws {
        let strategy = try SwitchingStrategy([
            (InterpolationStrategy.mixup(alpha: 1), 0.1), (InterpolationStrategy.mixup(alpha: 1), 0.2),
            (InterpolationStrategy.mixup(alpha: 1), 0.7), (CutMixStrategy.cutMix(alpha: 1), 0),
        ])
        var generator = SeededGenerator(seed: 1)
        for _ in 0..<2000 {
            #expect(routeOf(try strategy.plan(batchSize: 2, sampleShape: [1, 2, 2], using: &generator)) != [3])
        }
    }

    /// A generator stuck at its largest output: u = 1 − 2⁻⁵³, the top of [0, 1).
    struct MaximalGenerator: RandomNumberGenerator {
        mutating func next() -> UInt64 { .max }
    }

    @Test func roundingGapNeverPicksAZeroProbabilityOption() throws {
        // 0.7 + 0.2 + 0.1 is 1 − 2⁻⁵³ in Double, so u = 1 − 2⁻⁵³ is not below the cumulative sum of any option.
        let strategy = try SwitchingStrategy([
            (IdentityStrategy(), 0.7), (IdentityStrategy(), 0.2), (IdentityStrategy(), 0.1),
            (CutMixStrategy.cutMix(alpha: 1), 0),
        ])
        var generator = MaximalGenerator()
        #expect(routeOf(try strategy.plan(batchSize: 2, sampleShape: [1, 2, 2], using: &generator)) == [2])
    }

    @Test func sameSeedSamePlanDifferentSeedsDiffer() throws {
        try expectDeterministic(Self.mixupOrCutMix(0.5), sampleShape: [2, 8, 8])
    }

    @Test func batchOfOneIsUnchanged() throws {
        try expectSingleSampleUnchanged(Self.mixupOrCutMix(0.5), sampleShape: [2, 8, 8])
    }

    @Test func lambdaOneGivesBackTheOriginalBatch() throws {
        let strategy = try SwitchingStrategy([
            (InterpolationStrategy(distribution: .fixed(1)), 0.5), (CutMixStrategy(distribution: .fixed(1)), 0.5),
        ])
        let x = randomBatch([5, 2, 6, 6], seed: 1)
        for seed: UInt64 in 0..<6 {
            let plan = try drawPlan(strategy, batch: 5, sampleShape: [2, 6, 6], seed: seed)
            #expect(try strategy.apply(plan, to: x).scalars == x.scalars)
        }
    }

    @Test func nestedSwitchesRouteThroughBothLevels() throws {
        let inner = try Self.mixupOrCutMix(0)
        let outer = try SwitchingStrategy([(IdentityStrategy(), 0), (inner, 1)])
        let plan = try drawPlan(outer, batch: 4, sampleShape: [1, 4, 4], seed: 2)
        #expect(routeOf(plan) == [1, 1])
        expectLabelWeightsMatchMask(plan)
        let x = randomBatch([4, 1, 4, 4], seed: 3)
        #expect(try outer.apply(plan, to: x).scalars == plan.mix(x).scalars)
    }

    @Test func invalidSettingsThrowNamingTheValue() throws {
        expectMixingError(containing: "0.75") {
            _ = try SwitchingStrategy([
                (InterpolationStrategy.mixup(alpha: 1), 0.5), (CutMixStrategy.cutMix(alpha: 1), 0.25),
            ])
        }
        expectMixingError(containing: "1.5") {
            _ = try SwitchingStrategy([
                (InterpolationStrategy.mixup(alpha: 1), 1.5), (CutMixStrategy.cutMix(alpha: 1), -0.5),
            ])
        }
        expectMixingError(containing: "not be empty") { _ = try SwitchingStrategy([]) }
        expectMixingError(matching: { if case .invalidParameter(_, "[]", _) = $0 { true } else { false } }) {
            _ = try SwitchingStrategy([])
        }
        let strategy = try Self.mixupOrCutMix(0.5)
        expectMixingError(containing: "option 7") {
            var plan = MixPlan.identity(batchSize: 2)
            plan.payload = SwitchingStrategy.Choice(option: 7, inner: nil)
            _ = try strategy.apply(plan, to: .zeros([2, 1, 2, 2]))
        }
        expectMixingError(matching: { if case .planMismatch = $0 { true } else { false } }) {
            _ = try strategy.apply(.identity(batchSize: 2), to: .zeros([2, 1, 2, 2]))
        }
    }

    @Test func nameListsTheOptions() throws {
        let name = try Self.mixupOrCutMix(0.5).name
        #expect(name.contains("mixup") && name.contains("cutmix"))
    }
}
