import Foundation
// The README's "Write your own mixer" example, verbatim (a test below checks that README.md still contains it).
import MixupKit
import MixupKitTestSupport
import MixupRunner
import Testing

/// Mixup with λ drawn uniformly from [lower, upper], one λ per sample.
struct UniformMixup: MixingStrategy {
    var lower = 0.3
    var upper = 0.7
    var name: String { "uniform-mixup" }

    func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator)
        throws(MixingError) -> MixPlan
    {
        let partners = Pairing.permutation.partners(batchSize: batchSize, using: &generator)
        let lambdas = (0..<batchSize).map { i in
            partners[i] == i ? Float(1) : Float(generator.nextUniform(lower, upper))
        }
        return try MixPlan(partners: partners, weights: .perSample(lambdas), labelWeights: lambdas)
    }
}

/// Mixes at the deepest point the model offers.
struct DeepestPointSelector: LayerSelector {
    var name: String { "deepest" }

    func select(from eligible: [MixPoint], using generator: inout some RandomNumberGenerator)
        throws(MixingError) -> MixPoint?
    {
        eligible.last
    }
}

/// Targets weighted by the realised weights sharpened with a temperature T: wₛ^(1/T) / Σᵣ wᵣ^(1/T).
struct SharpenedLabels: LabelMixer {
    var temperature: Float = 0.5
    var name: String { "sharpened(\(temperature))" }

    func targets(for plan: MixPlan, labels: Tensor) throws(MixingError) -> MixedTargets {
        guard labels.rank == 2, labels.shape[0] == plan.batchSize else {
            throw .shapeMismatch(what: "labels", shape: labels.shape, expected: "[\(plan.batchSize), classes]")
        }
        let powered = plan.sourceLabelWeights.map { $0.map { pow($0, 1 / temperature) } }
        let totals = (0..<plan.batchSize).map { i in powered.reduce(0) { $0 + $1[i] } }
        return try MixedTargets(
            sources: plan.sources.map { labels.gathering(rows: $0.indices) },
            weights: powered.map { w in w.indices.map { w[$0] / totals[$0] } })
    }
}

extension LayerSelector where Self == DeepestPointSelector {
    /// Mix at the deepest eligible point.
    static var deepest: DeepestPointSelector { DeepestPointSelector() }
}

extension LabelMixer where Self == SharpenedLabels {
    /// Realised weights sharpened with temperature T (T < 1 favours each sample's dominant source).
    static func sharpened(_ temperature: Float) -> SharpenedLabels { SharpenedLabels(temperature: temperature) }
}

func uniformManifoldMixup() throws -> Regularizer {
    try Regularizer(
        name: "uniform-manifold-mixup", strategy: UniformMixup(),
        selector: .random(among: ["input", "hidden1"]))
}

func deepMixupWithSharpLabels() throws -> Regularizer {
    try Regularizer(name: "deep-sharp", strategy: UniformMixup(), selector: .deepest, labelMixer: .sharpened(0.5))
}

/// The same property checks MixupKit runs on its own mixers (product `MixupKitTestSupport`).
func checkUniformMixup() throws {
    let checks = MixerChecks(UniformMixup(), sampleShape: [2])
    try checks.checkAll()  // labels sum to 1, realised = mixed fraction, seeds, odd and size-1 batches
    let (model, point) = try MixerChecks<UniformMixup>.tinyClassifier(sampleShape: [2], classes: 2)
    try checks.checkGradientsReachLayersBeforeMixPoint(model: model, point: point, classes: 2)
}

// MARK: - Tests of the README example

@Suite struct ReadmeExampleTests {
    /// The package root, found from this file's path.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    @Test func readmeContainsThisExampleVerbatim() throws {
        let readme = try String(contentsOf: Self.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let start = try #require(source.range(of: "/// Mixup with λ drawn uniformly"))
        let end = try #require(source.range(of: "\n// MARK: - Tests of the README example"))
        let example = String(source[start.lowerBound..<end.lowerBound])
        #expect(readme.contains(example), "README.md's custom-mixer example differs from ReadmeExampleTests.swift")
    }

    @Test func uniformMixupTrainsAnMLPThroughHiddenLayers() throws {
        var generator = SeededGenerator(seed: 5)
        let model = Models.mlp(inputSize: 2, hiddenSizes: [8, 8], classCount: 2, using: &generator)
        let regularizer = try uniformManifoldMixup()
        let data = SyntheticData.twoMoons(pointsPerClass: 16, noise: 0.1, using: &generator)
        let input = data.inputs(at: Array(0..<32))
        let labels = Tensor.oneHot(data.labels(at: Array(0..<32)), classCount: 2)
        var context = ForwardContext(isTraining: true)
        let out = try regularizer.forward(
            model, input: input, labels: labels, epoch: 0, context: &context, using: &generator)
        let plan = try #require(out.plan)
        for (i, w) in plan.labelWeights.enumerated() where plan.partners[i] != i {
            #expect(w >= 0.3 && w <= 0.7)
        }
        for row in 0..<32 {
            let sum = out.targets.soft.scalars[(row * 2)..<(row * 2 + 2)].reduce(0, +)
            #expect(abs(sum - 1) < 1e-5)
        }
        let loss = softmaxCrossEntropy(logits: out.output, softTargets: out.targets.soft)
        loss.backward()
        #expect(loss.scalar.isFinite)
        #expect(model.allParameters.allSatisfy { $0.gradient != nil })
    }

    @Test func readmeSelectorAndLabelMixerWork() throws {
        var generator = SeededGenerator(seed: 6)
        let model = Models.mlp(inputSize: 2, hiddenSizes: [8, 8], classCount: 3, using: &generator)
        let input = Tensor.uniform([7, 2], lower: -1, upper: 1, using: &generator)
        let labels = Tensor.oneHot([0, 1, 2, 0, 1, 2, 0], classCount: 3)
        var context = ForwardContext(isTraining: true)
        let out = try deepMixupWithSharpLabels().forward(
            model, input: input, labels: labels, epoch: 0, context: &context, using: &generator)
        #expect(out.point?.name == "hidden2")
        let plan = try #require(out.plan)
        for i in 0..<7 {
            let row = Array(out.targets.soft.scalars[(i * 3)..<(i * 3 + 3)])
            #expect(abs(row.reduce(0, +) - 1) < 1e-5)
            // T = 1/2: the original's weight is w² / (w² + (1 − w)²), pushed away from 1/2 towards the dominant side.
            let w = plan.labelWeights[i]
            let sharp = w * w / (w * w + (1 - w) * (1 - w))
            #expect(abs(out.targets.weights[i] - sharp) < 1e-5)
            #expect(abs(sharp - 0.5) >= abs(w - 0.5) - 1e-6)
            var expected = [Float](repeating: 0, count: 3)
            expected[i % 3] += sharp
            expected[plan.partners[i] % 3] += 1 - sharp
            #expect(zip(row, expected).allSatisfy { abs($0 - $1) < 1e-5 })
        }
        try checkUniformMixup()
        // The label mixer refuses labels that do not fit the plan, naming their shape.
        #expect(throws: MixingError.self) { try SharpenedLabels().targets(for: plan, labels: .zeros([3, 3])) }
    }

    /// The README's composition example.
    @Test func readmeCompositionExampleBuilds() throws {
        let regularizer = try Regularizer.cutMix(alpha: 1)
            .mixing(at: .random(among: ["input", "block1"]))
            .labels(InterpolatedLabels().smoothed(0.1))
            .applied(withProbability: 0.8)
            .disabled(afterEpoch: 150)
        let mixupOrCutMix = try SwitchingStrategy([
            (strategy: InterpolationStrategy.mixup(alpha: 0.8), probability: 0.5),
            (strategy: CutMixStrategy.cutMix(alpha: 1), probability: 0.5),
        ])
        #expect(regularizer.probability == 0.8)
        #expect(regularizer.lastMixingEpoch == 150)
        #expect(mixupOrCutMix.options.count == 2)
    }

    /// The README's "A recipe in Swift" example (inside a function instead of top-level code), run for one epoch.
    @Test func readmeRecipeRunsThroughTheRunner() throws {
        let moons = Recipe(
            name: "moons", summary: "two moons, MLP, Manifold Mixup",
            data: { request in
                var generator = SeededGenerator(seed: request.seed)
                return RecipeData(
                    train: SyntheticData.twoMoons(pointsPerClass: 500, noise: 0.1, using: &generator),
                    test: SyntheticData.twoMoons(pointsPerClass: 500, noise: 0.1, using: &generator))
            },
            model: { generator in Models.mlp(inputSize: 2, hiddenSizes: [64, 64], classCount: 2, using: &generator) },
            regularizer: try .manifoldMixup(alpha: 2),
            optimizer: .adam(learningRate: 3e-3, weightDecay: 0, decoupled: false),
            epochs: 20, batchSize: 64)
        var options = RunOptions()
        options.epochs = 1
        options.maximumSteps = 3
        options.quiet = true
        options.outputDirectory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("mixupkit-readme-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: options.outputDirectory ?? "") }
        let summary = try RecipeCommand.execute(moons, options: options)
        #expect(summary.recipe == "moons")
        #expect(summary.strategy == "manifold-mixup")
        #expect(summary.testError.map { $0 >= 0 && $0 <= 1 } == true)
    }
}
