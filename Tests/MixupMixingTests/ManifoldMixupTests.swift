import MixupKit
import Testing

@Suite struct ManifoldMixupTests {
    static func mlp(seed: UInt64) -> MixableSequential {
        var generator = SeededGenerator(seed: seed)
        return Models.mlp(inputSize: 6, hiddenSizes: [8, 8], classCount: 4, using: &generator)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func manifoldMixupAtTheInputEqualsInputMixup(seed: UInt64) throws {
        let model = Self.mlp(seed: 10)
        let input = randomBatch([9, 6], seed: 11)
        let labels = randomOneHot(batch: 9, classes: 4, seed: 12)
        let manifold = try Regularizer.manifoldMixup(alpha: 1, mixPoints: ["input"])
        let mixup = try Regularizer.mixup(alpha: 1)

        var g1 = SeededGenerator(seed: seed)
        var c1 = ForwardContext(isTraining: false)
        let a = try manifold.forward(model, input: input, labels: labels, epoch: 0, context: &c1, using: &g1)
        var g2 = SeededGenerator(seed: seed)
        var c2 = ForwardContext(isTraining: false)
        let b = try mixup.forward(model, input: input, labels: labels, epoch: 0, context: &c2, using: &g2)

        #expect(a.point == .input)
        #expect(b.point == .input)
        #expect(a.plan == b.plan)
        #expect(a.output.scalars == b.output.scalars)
        #expect(a.targets.soft.scalars == b.targets.soft.scalars)
        #expect(g1 == g2, "both regularizers should consume the same randomness")
    }

    @Test func drawsAmongAllPointsByDefault() throws {
        let model = Self.mlp(seed: 1)
        let regularizer = try Regularizer.manifoldMixup()
        #expect(regularizer.name == "manifold-mixup")
        var generator = SeededGenerator(seed: 2)
        var seen = Set<String>()
        for _ in 0..<60 {
            var context = ForwardContext(isTraining: true)
            let out = try regularizer.forward(
                model, input: randomBatch([4, 6], seed: 3), labels: randomOneHot(batch: 4, classes: 4, seed: 4),
                epoch: 0,
                context: &context, using: &generator)
            let point = try #require(out.point)
            seen.insert(point.name)
            #expect(out.output.shape == [4, 4])
            try expectValidTargets(try #require(out.plan))
        }
        #expect(seen == ["input", "hidden1", "hidden2"])
    }

    @Test func restrictedPointsAreRespected() throws {
        let model = Self.mlp(seed: 1)
        let regularizer = try Regularizer.manifoldMixup(alpha: 2, mixPoints: ["hidden1", "hidden2"])
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<20 {
            var context = ForwardContext(isTraining: true)
            let out = try regularizer.forward(
                model, input: randomBatch([3, 6], seed: 3), labels: randomOneHot(batch: 3, classes: 4, seed: 4),
                epoch: 0,
                context: &context, using: &generator)
            #expect(["hidden1", "hidden2"].contains(try #require(out.point).name))
        }
    }

    @Test func hiddenMixEqualsMixingTheHiddenStateByHand() throws {
        let model = Self.mlp(seed: 6)
        let input = randomBatch([5, 6], seed: 7)
        let labels = randomOneHot(batch: 5, classes: 4, seed: 8)
        let regularizer = try Regularizer.manifoldMixup(alpha: 1, mixPoints: ["hidden1"])
        var generator = SeededGenerator(seed: 9)
        var context = ForwardContext(isTraining: false)
        let out = try regularizer.forward(
            model, input: input, labels: labels, epoch: 0, context: &context, using: &generator)
        let point = try #require(out.point)
        let plan = try #require(out.plan)
        var context2 = ForwardContext(isTraining: false)
        let hidden = model.forward(input, from: .input, to: point, context: &context2)
        let expected = model.forward(try plan.mix(hidden), from: point, to: nil, context: &context2)
        #expect(out.output.scalars == expected.scalars)
    }

    @Test func invalidSettingsThrowNamingTheValue() {
        expectMixingError(containing: "0.0") { _ = try Regularizer.manifoldMixup(alpha: 0) }
        expectMixingError(containing: "-1") { _ = try Regularizer.manifoldMixup(alpha: -1) }
        expectMixingError(containing: "empty") { _ = try Regularizer.manifoldMixup(mixPoints: []) }
    }
}
