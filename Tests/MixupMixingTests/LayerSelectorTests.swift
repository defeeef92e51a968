import MixupKit
import Testing

@Suite struct LayerSelectorTests {
    static let points: [MixPoint] = [
        .input, MixPoint(boundary: 1, name: "hidden1"), MixPoint(boundary: 2, name: "hidden2"),
        MixPoint(boundary: 3, name: "hidden3"),
    ]

    @Test func inputSelectorAlwaysPicksTheInput() throws {
        var generator = SeededGenerator(seed: 0)
        #expect(try InputSelector().select(from: Self.points, using: &generator) == .input)
        #expect(InputSelector().name == "input")
    }

    @Test func fixedSelectorPicksTheNamedPoint() throws {
        var generator = SeededGenerator(seed: 0)
        let selector: FixedLayerSelector = .fixed("hidden2")
        #expect(try selector.select(from: Self.points, using: &generator) == MixPoint(boundary: 2, name: "hidden2"))
        #expect(selector.name == "hidden2")
    }

    @Test func fixedSelectorWithAnUnknownNameThrows() {
        var generator = SeededGenerator(seed: 0)
        expectMixingError(containing: "nope") {
            _ = try FixedLayerSelector("nope").select(from: Self.points, using: &generator)
        }
    }

    @Test func fixedSelectorWithAnUnknownNameThrowsOnARealModel() throws {
        var generator = SeededGenerator(seed: 1)
        let model = Models.mlp(inputSize: 4, hiddenSizes: [5, 5], classCount: 3, using: &generator)
        let regularizer = try Regularizer.mixup(alpha: 1).mixing(at: FixedLayerSelector("nope"))
        var context = ForwardContext(isTraining: true)
        expectMixingError(containing: "nope") {
            _ = try regularizer.forward(
                model, input: randomBatch([2, 4], seed: 2), labels: randomOneHot(batch: 2, classes: 3, seed: 3),
                epoch: 0,
                context: &context, using: &generator)
        }
        expectMixingError(containing: "nope") { _ = try model.mixPoint(named: "nope") }
        #expect(try model.mixPoint(named: "hidden2") == MixPoint(boundary: 2, name: "hidden2"))
    }

    @Test func randomSelectorDrawsUniformlyAmongItsNames() throws {
        var generator = SeededGenerator(seed: 5)
        let selector = try RandomLayerSelector(among: ["input", "hidden2"])
        var counts: [String: Int] = [:]
        for _ in 0..<1000 {
            let point = try #require(try selector.select(from: Self.points, using: &generator))
            counts[point.name, default: 0] += 1
        }
        #expect(Set(counts.keys) == ["input", "hidden2"])
        #expect(abs(counts["input", default: 0] - 500) < 80, "\(counts)")
    }

    @Test func randomSelectorWithoutNamesUsesEveryPoint() throws {
        var generator = SeededGenerator(seed: 6)
        let selector: RandomLayerSelector = try .random()
        var seen = Set<String>()
        for _ in 0..<200 { seen.insert(try #require(try selector.select(from: Self.points, using: &generator)).name) }
        #expect(seen == Set(Self.points.map(\.name)))
        #expect(selector.name == "random{all}")
    }

    @Test func randomSelectorWithOneCandidateDoesNotConsumeRandomness() throws {
        var generator = SeededGenerator(seed: 7)
        let untouched = generator
        #expect(
            try RandomLayerSelector(among: ["hidden1"]).select(from: Self.points, using: &generator)?.name == "hidden1")
        #expect(generator == untouched)
    }

    @Test func randomSelectorWithAnUnknownNameThrows() {
        var generator = SeededGenerator(seed: 0)
        expectMixingError(matching: { $0 == .unknownMixPoint(name: "stage9", eligible: Self.points.map(\.name)) }) {
            _ = try RandomLayerSelector(among: ["input", "stage9"]).select(from: Self.points, using: &generator)
        }
        expectMixingError(matching: { if case .invalidParameter(_, "[]", _) = $0 { true } else { false } }) {
            _ = try RandomLayerSelector().select(from: [], using: &generator)
        }
    }

    @Test func anEmptyCandidateListThrowsInsteadOfTrapping() {
        expectMixingError(matching: { if case .invalidParameter(_, "[]", _) = $0 { true } else { false } }) {
            _ = try RandomLayerSelector(among: [])
        }
        expectMixingError(containing: "[]") { _ = try RandomLayerSelector.random(among: []) }
    }

    @Test func neverSelectorNeverMixes() throws {
        var generator = SeededGenerator(seed: 0)
        #expect(try NoMixingSelector().select(from: Self.points, using: &generator) == nil)
        #expect(NoMixingSelector().name == "none")
    }
}
