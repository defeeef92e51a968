// Proof that the mixing API can be extended from outside the package: only `import MixupKit`, no @testable.
import MixupKit
import Testing

/// A strategy no built-in plugin offers: the bottom `⌊h/2⌋` rows of every sample come from its partner.
///
/// λ (the weight of the original sample) is the exact fraction of rows kept, so labels match pixels.
struct VerticalHalfSwapStrategy: MixingStrategy {
    var pairing: Pairing = .derangement

    var name: String { "vertical-half-swap" }

    func plan(batchSize: Int, sampleShape: [Int], using generator: inout some RandomNumberGenerator) throws(MixingError)
        -> MixPlan
    {
        try MixingValidation.checkSpatial(sampleShape, strategy: name)
        let (height, width) = (sampleShape[1], sampleShape[2])
        let partners = pairing.partners(batchSize: batchSize, using: &generator)
        let swapped = height / 2
        var mask = [Float](repeating: 1, count: batchSize * height * width)
        var labelWeights = [Float](repeating: 1, count: batchSize)
        for i in 0..<batchSize where partners[i] != i {
            for y in (height - swapped)..<height {
                for x in 0..<width { mask[(i * height + y) * width + x] = 0 }
            }
            labelWeights[i] = Float(height - swapped) / Float(height)
        }
        return try MixPlan(
            partners: partners, weights: .mask(height: height, width: width, values: mask), labelWeights: labelWeights)
    }
    // `apply` is inherited: the default blend by the plan's mask.
}

/// A label mixer written from scratch: interpolates with the plan's realised weights, then mixes in a little of the
/// uniform distribution in proportion to how mixed the sample is (more mixing, less confidence).
struct ConfidenceAwareLabels: LabelMixer {
    var uncertainty: Float = 0.2

    var name: String { "confidence-aware" }

    func targets(for plan: MixPlan, labels: Tensor) throws(MixingError) -> MixedTargets {
        guard labels.rank == 2, labels.shape[0] == plan.batchSize else {
            throw .shapeMismatch(what: "labels", shape: labels.shape, expected: "[\(plan.batchSize), classes]")
        }
        let classes = labels.shape[1]
        var original = labels.scalars
        var partner = plan.partnerBatch(labels).scalars
        for i in 0..<plan.batchSize {
            let w = plan.labelWeights[i]
            let softness = uncertainty * 2 * min(w, 1 - w)  // 0 when unmixed, `uncertainty` at an even mix
            for c in 0..<classes {
                original[i * classes + c] = (1 - softness) * original[i * classes + c] + softness / Float(classes)
                partner[i * classes + c] = (1 - softness) * partner[i * classes + c] + softness / Float(classes)
            }
        }
        return MixedTargets(
            original: Tensor(shape: labels.shape, scalars: original),
            partner: Tensor(shape: labels.shape, scalars: partner),
            weights: plan.labelWeights)
    }
}

@Suite struct CustomMixerTests {
    static func tinyBatch(seed: UInt64) -> (input: Tensor, labels: Tensor) {
        var generator = SeededGenerator(seed: seed)
        let input = Tensor.uniform([4, 1, 8, 8], lower: -1, upper: 1, using: &generator)
        let labels = Tensor.oneHot((0..<4).map { _ in generator.nextIndex(below: 3) }, classCount: 3)
        return (input, labels)
    }

    @Test(arguments: ["input", "block1"])
    func customStrategyAndLabelMixerTrainATinyCNN(pointName: String) throws {
        var generator = SeededGenerator(seed: 42)
        let model = try Models.cnn(inputChannels: 1, imageSize: 8, classCount: 3, widths: (4, 4), using: &generator)
        let regularizer = try Regularizer(
            name: "half-swap", strategy: VerticalHalfSwapStrategy(), selector: FixedLayerSelector(pointName),
            labelMixer: ConfidenceAwareLabels())
        let optimizer = SGD(parameters: model.allParameters, learningRate: 0.1, momentum: 0.9)
        let before = model.allParameters.map(\.value.scalars)
        let (input, labels) = Self.tinyBatch(seed: 7)

        var context = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 1))
        let out = try regularizer.forward(
            model, input: input, labels: labels, epoch: 0, context: &context, using: &generator)
        let loss = softmaxCrossEntropy(logits: out.output, softTargets: out.targets.soft)
        #expect(loss.scalar.isFinite)
        loss.backward()
        #expect(model.allParameters.allSatisfy { $0.gradient != nil })
        optimizer.step()
        optimizer.zeroGradients()

        let after = model.allParameters.map(\.value.scalars)
        #expect(before != after, "SGD did not change the parameters")
        #expect(after.allSatisfy { $0.allSatisfy { $0.isFinite } })

        // The plan's label weights are the realised fraction of kept rows (a derangement: every sample is mixed).
        #expect(out.point?.name == pointName)
        let plan = try #require(out.plan)
        guard case .mask(let height, let width, let mask) = plan.weights else {
            Issue.record("expected a mask plan")
            return
        }
        #expect(height == (pointName == "input" ? 8 : 4))
        for i in 0..<plan.batchSize {
            #expect(plan.partners[i] != i)
            let kept = mask[(i * height * width)..<((i + 1) * height * width)].filter { $0 == 1 }.count
            #expect(plan.labelWeights[i] == Float(kept) / Float(height * width))
            #expect(plan.labelWeights[i] == 0.5)
        }
        // Targets: rows of probabilities, softened because each sample is an even mix.
        for i in 0..<4 {
            let row = out.targets.soft.scalars[(i * 3)..<(i * 3 + 3)]
            #expect(abs(row.reduce(0, +) - 1) <= 1e-5)
            #expect(row.allSatisfy { $0 > 0 })
        }
    }

    @Test func realisedFractionOnData() throws {
        // Sample i is the constant i + 1, so counting pixels reveals where they came from.
        let strategy = VerticalHalfSwapStrategy()
        var generator = SeededGenerator(seed: 3)
        let plan = try strategy.plan(batchSize: 5, sampleShape: [2, 7, 3], using: &generator)
        let x = Tensor(shape: [5, 2, 7, 3], scalars: (0..<5).flatMap { [Float](repeating: Float($0 + 1), count: 42) })
        let mixed = try strategy.apply(plan, to: x)
        for i in 0..<5 {
            let own = mixed.scalars[(i * 42)..<((i + 1) * 42)].filter { $0 == Float(i + 1) }.count
            #expect(Float(own) / 42 == plan.labelWeights[i])
            #expect(plan.labelWeights[i] == Float(4) / 7)
        }
        let targets = try ConfidenceAwareLabels().targets(for: plan, labels: .oneHot([0, 1, 2, 0, 1], classCount: 3))
        #expect(targets.weights == plan.labelWeights)
    }

    @Test func customStrategyRefusesNonSpatialInputsWithTheLibrarysError() throws {
        var generator = SeededGenerator(seed: 1)
        let model = Models.mlp(inputSize: 4, hiddenSizes: [3], classCount: 2, using: &generator)
        let regularizer = try Regularizer(name: "half-swap", strategy: VerticalHalfSwapStrategy())
        var context = ForwardContext(isTraining: true)
        do {
            _ = try regularizer.forward(
                model, input: .zeros([2, 4]), labels: .oneHot([0, 1], classCount: 2), epoch: 0, context: &context,
                using: &generator)
            Issue.record("expected a MixingError")
        } catch {
            #expect(error.description.contains("[4]"))
        }
    }

    @Test func customPiecesComposeWithBuiltIns() throws {
        // A switch between the custom strategy and built-in CutMix, with built-in label smoothing on top.
        let strategy = try SwitchingStrategy([
            (VerticalHalfSwapStrategy(), 0.5), (CutMixStrategy.cutMix(alpha: 1), 0.5),
        ])
        let regularizer = try Regularizer(
            name: "switch", strategy: strategy, labelMixer: ConfidenceAwareLabels().smoothed(0.1)
        ).applied(withProbability: 1)
        var generator = SeededGenerator(seed: 5)
        let model = try Models.cnn(inputChannels: 1, imageSize: 8, classCount: 3, widths: (2, 2), using: &generator)
        var routes = Set<Int>()
        for _ in 0..<6 {
            let (input, labels) = Self.tinyBatch(seed: 9)
            var context = ForwardContext(isTraining: true)
            let out = try regularizer.forward(
                model, input: input, labels: labels, epoch: 0, context: &context, using: &generator)
            let plan = try #require(out.plan)
            routes.insert(try #require(plan.payload(as: SwitchingStrategy.Choice.self)).option)
            #expect(out.output.shape == [4, 3])
        }
        #expect(routes == [0, 1])
    }
}
