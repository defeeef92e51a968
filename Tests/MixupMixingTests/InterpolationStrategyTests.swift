import MixupKit
import Testing
import _MixupTestSupport

@Suite struct InterpolationStrategyTests {
    static let granularities: [LambdaGranularity] = [.perBatch, .perSample]

    @Test(arguments: [1, 3, 127], [UInt64(1), 2, 3])
    func targetsAreValidAndOutputIsTheWeightedCombination(batch: Int, seed: UInt64) throws {
        for granularity in Self.granularities {
            let strategy = try InterpolationStrategy.mixup(alpha: 0.4, granularity: granularity)
            let plan = try drawPlan(strategy, batch: batch, sampleShape: [3, 2, 2], seed: seed)
            try expectValidTargets(plan)
            guard case .perSample(let lambdas) = plan.weights else {
                Issue.record("interpolation drew a mask plan")
                continue
            }
            if granularity == .perBatch {
                #expect(Set((0..<batch).filter { plan.partners[$0] != $0 }.map { lambdas[$0] }).count <= 1)
            }
            // A sample that is its own partner has weight 1, so it comes out bit-identical.
            #expect((0..<batch).allSatisfy { plan.partners[$0] != $0 || lambdas[$0] == 1 })
            for i in 0..<batch {
                #expect(plan.labelWeights[i] == (plan.partners[i] == i ? 1 : lambdas[i]))
            }
            let x = randomBatch([batch, 3, 2, 2], seed: seed + 100)
            let mixed = try strategy.apply(plan, to: x)
            #expect(mixed.shape == x.shape)
            for i in 0..<batch {
                let j = plan.partners[i]
                for k in 0..<12 {
                    let expected = lambdas[i] * x.scalars[i * 12 + k] + (1 - lambdas[i]) * x.scalars[j * 12 + k]
                    #expect(abs(mixed.scalars[i * 12 + k] - expected) <= 1e-5)
                }
            }
            expectSelfPairedRowsUnchanged(plan, input: x, output: mixed)
        }
    }

    @Test func batchOfOneIsUnchanged() throws {
        for granularity in Self.granularities {
            try expectSingleSampleUnchanged(
                InterpolationStrategy.mixup(alpha: 1, granularity: granularity), sampleShape: [5])
        }
        try expectSingleSampleUnchanged(
            InterpolationStrategy.mixup(alpha: 1, granularity: .perPair, pairing: .randomPairs), sampleShape: [2, 3, 3])
    }

    @Test(arguments: [1, 3, 127])
    func lambdaOneGivesBackTheOriginalBatch(batch: Int) throws {
        let strategy = try InterpolationStrategy(distribution: .fixed(1), granularity: .perSample)
        let x = randomBatch([batch, 2, 3, 3], seed: 4)
        let plan = try drawPlan(strategy, batch: batch, sampleShape: [2, 3, 3], seed: 5)
        #expect(plan.labelWeights.allSatisfy { $0 == 1 })
        #expect(try strategy.apply(plan, to: x).scalars == x.scalars)
    }

    @Test func lambdaZeroGivesThePartnerBatch() throws {
        let strategy = try InterpolationStrategy(distribution: .fixed(0), pairing: .derangement)
        let x = randomBatch([6, 4], seed: 4)
        let plan = try drawPlan(strategy, batch: 6, sampleShape: [4], seed: 5)
        #expect(plan.labelWeights.allSatisfy { $0 == 0 })
        #expect(try strategy.apply(plan, to: x).scalars == plan.partnerBatch(x).scalars)
    }

    @Test func sameSeedSamePlanDifferentSeedsDiffer() throws {
        for granularity in Self.granularities {
            try expectDeterministic(
                InterpolationStrategy.mixup(alpha: 1, granularity: granularity), sampleShape: [3, 4, 4])
        }
    }

    @Test func worksOnAnySampleShape() throws {
        let strategy = try InterpolationStrategy.mixup(alpha: 1)
        for shape in [[], [7], [2, 3], [1, 2, 2, 2]] as [[Int]] {
            let plan = try drawPlan(strategy, batch: 4, sampleShape: shape, seed: 1)
            #expect(try strategy.apply(plan, to: randomBatch([4] + shape, seed: 2)).shape == [4] + shape)
        }
    }

    @Test func applyGradientMatchesFiniteDifferences() throws {
        let strategy = try InterpolationStrategy.mixup(alpha: 1, granularity: .perSample)
        let plan = try drawPlan(strategy, batch: 4, sampleShape: [3], seed: 3)
        let probe = randomBatch([4, 3], seed: 4)
        expectGradientsMatchFiniteDifferences(at: [randomBatch([4, 3], seed: 5)]) { inputs in
            ((try! strategy.apply(plan, to: inputs[0])) * probe).squared().sum()
        }
    }

    @Test func invalidSettingsThrowNamingTheValue() {
        expectMixingError(containing: "0.0") { _ = try InterpolationStrategy.mixup(alpha: 0) }
        expectMixingError(containing: "-1") { _ = try InterpolationStrategy.mixup(alpha: -1) }
        expectMixingError(containing: "0.0") { _ = try Regularizer.mixup(alpha: 0) }
        expectMixingError(containing: "-1") { _ = try Regularizer.mixup(alpha: -1) }
        expectMixingError(containing: "empty") {
            _ = try drawPlan(InterpolationStrategy.mixup(alpha: 1), batch: 0, sampleShape: [3], seed: 0)
        }
    }

    @Test func mixupRegularizerMixesAtTheInput() throws {
        let regularizer = try Regularizer.mixup(alpha: 1)
        #expect(regularizer.name == "mixup")
        #expect(regularizer.strategy.name == "mixup")
        #expect(regularizer.selector.name == "input")
        var generator = SeededGenerator(seed: 1)
        let model = Models.mlp(inputSize: 4, hiddenSizes: [6], classCount: 3, using: &generator)
        var context = ForwardContext(isTraining: true)
        let out = try regularizer.forward(
            model, input: randomBatch([5, 4], seed: 2), labels: randomOneHot(batch: 5, classes: 3, seed: 3), epoch: 0,
            context: &context, using: &generator)
        #expect(out.point == .input)
        #expect(out.output.shape == [5, 3])
        try expectValidTargets(try #require(out.plan))
    }
}
