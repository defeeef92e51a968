import MixupKit
import Testing

@Suite struct ModelsTests {
    static func expectSplitForwardMatches(
        _ model: MixableSequential, input: Tensor, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var context = ForwardContext(isTraining: false)
        let full = model(input, context: &context)
        for point in model.mixPoints {
            var c = ForwardContext(isTraining: false)
            let hidden = model.forward(input, from: .input, to: point, context: &c)
            let rest = model.forward(hidden, from: point, to: nil, context: &c)
            #expect(rest.scalars == full.scalars, "split at \(point) differs", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: Models.Activation.allCases, [false, true])
    func mlpMixPointsShapesAndSplits(activation: Models.Activation, batchNorm: Bool) {
        var generator = SeededGenerator(seed: 1)
        let model = Models.mlp(
            inputSize: 5, hiddenSizes: [7, 6, 4], classCount: 3, activation: activation, batchNorm: batchNorm,
            dropout: 0.2,
            using: &generator)
        #expect(model.mixPoints.map(\.name) == ["input", "hidden1", "hidden2", "hidden3"])
        #expect(model.mixPoints.map(\.boundary) == [0, 1, 2, 3])
        let input = randomBatch([4, 5], seed: 2)
        var context = ForwardContext(isTraining: false)
        #expect(model(input, context: &context).shape == [4, 3])
        var c = ForwardContext(isTraining: false)
        #expect(model.forward(input, from: .input, to: model.mixPoints[2], context: &c).shape == [4, 6])
        Self.expectSplitForwardMatches(model, input: input)
    }

    @Test func mlpWithoutHiddenLayersIsLinear() {
        var generator = SeededGenerator(seed: 1)
        let model = Models.mlp(inputSize: 3, hiddenSizes: [], classCount: 2, using: &generator)
        #expect(model.mixPoints == [.input])
        #expect(model.parameterCount == 3 * 2 + 2)
        #expect(model.inferring(randomBatch([2, 3], seed: 1)).shape == [2, 2])
    }

    @Test func cnnMixPointsShapesAndSplits() throws {
        var generator = SeededGenerator(seed: 3)
        let model = try Models.cnn(inputChannels: 2, imageSize: 8, classCount: 5, widths: (4, 6), using: &generator)
        #expect(model.mixPoints.map(\.name) == ["input", "block1", "block2"])
        let input = randomBatch([3, 2, 8, 8], seed: 4)
        var c = ForwardContext(isTraining: false)
        #expect(model.forward(input, from: .input, to: model.mixPoints[1], context: &c).shape == [3, 4, 4, 4])
        #expect(model.forward(input, from: .input, to: model.mixPoints[2], context: &c).shape == [3, 6, 2, 2])
        #expect(model.inferring(input).shape == [3, 5])
        Self.expectSplitForwardMatches(model, input: input)
    }

    @Test func preActResNet20MixPointsShapesAndSplits() {
        var generator = SeededGenerator(seed: 5)
        let model = Models.preActResNet20(classCount: 4, using: &generator)
        #expect(model.mixPoints.map(\.name) == ["input", "stage1", "stage2", "stage3"])
        let input = randomBatch([2, 3, 8, 8], seed: 6)
        var c = ForwardContext(isTraining: false)
        #expect(model.forward(input, from: .input, to: model.mixPoints[1], context: &c).shape == [2, 16, 8, 8])
        #expect(model.forward(input, from: .input, to: model.mixPoints[2], context: &c).shape == [2, 32, 4, 4])
        #expect(model.forward(input, from: .input, to: model.mixPoints[3], context: &c).shape == [2, 64, 2, 2])
        #expect(model.inferring(input).shape == [2, 4])
        Self.expectSplitForwardMatches(model, input: input)
    }

    @Test func preActResNetCustomLayoutAndTrainingMode() throws {
        var generator = SeededGenerator(seed: 7)
        let model = Models.preActResNet(
            blocksPerStage: [1, 1], widths: [4, 8], inputChannels: 1, classCount: 3, using: &generator)
        #expect(model.mixPoints.map(\.name) == ["input", "stage1", "stage2"])
        let input = randomBatch([2, 1, 4, 4], seed: 8)
        let labels = randomOneHot(batch: 2, classes: 3, seed: 9)
        var context = ForwardContext(isTraining: true)
        let out = try Regularizer.manifoldMixup(alpha: 2, mixPoints: ["stage1"]).forward(
            model, input: input, labels: labels, epoch: 0, context: &context, using: &generator)
        #expect(out.output.shape == [2, 3])
        let loss = softmaxCrossEntropy(logits: out.output, softTargets: out.targets.soft)
        loss.backward()
        // The head's last Linear always receives gradient.
        #expect(model.allParameters.suffix(2).allSatisfy { $0.gradient != nil })
        // The stem convolution (before stage1 and the global average pool) receives gradient too.
        let stem = try #require(model.body.layers[0] as? Conv2D)
        #expect(stem.allParameters.allSatisfy { $0.gradient != nil })
    }

    @Test func preActivationBlockShapes() {
        var generator = SeededGenerator(seed: 9)
        let same = PreActivationBlock(inChannels: 4, outChannels: 4, stride: 1, using: &generator)
        #expect(!same.children.map(\.name).contains("shortcut"))
        #expect(same.inferring(randomBatch([1, 4, 4, 4], seed: 1)).shape == [1, 4, 4, 4])
        let down = PreActivationBlock(inChannels: 4, outChannels: 8, stride: 2, using: &generator)
        #expect(down.children.map(\.name).contains("shortcut"))
        #expect(down.inferring(randomBatch([1, 4, 4, 4], seed: 1)).shape == [1, 8, 2, 2])
    }

    @Test func sameSeedSameWeights() throws {
        var a = SeededGenerator(seed: 11)
        var b = SeededGenerator(seed: 11)
        let m1 = try Models.cnn(imageSize: 8, widths: (2, 3), using: &a)
        let m2 = try Models.cnn(imageSize: 8, widths: (2, 3), using: &b)
        #expect(m1.allParameters.map(\.value.scalars) == m2.allParameters.map(\.value.scalars))
    }

    /// An image size the two pools cannot halve twice is an error naming it, not a trap.
    @Test(arguments: [30, 14 + 1, 0, -8])
    func cnnRejectsAnImageSizeNotDivisibleByFour(size: Int) throws {
        var generator = SeededGenerator(seed: 1)
        let error = try #require(throws: ModelError.self) { try Models.cnn(imageSize: size, using: &generator) }
        #expect(error == .imageSizeNotDivisible(imageSize: size, by: 4))
        #expect(error.description.contains("\(size)"))
        #expect(throws: ModelError.nonPositiveSize(name: "classCount", value: 0)) {
            try Models.cnn(imageSize: 8, classCount: 0, using: &generator)
        }
    }
}

@Suite struct LadderMLPTests {
    @Test func defaultArchitectureIsTheLadderMLP() {
        var generator = SeededGenerator(seed: 1)
        let model = Models.ladderMLP(using: &generator)
        #expect(model.mixPoints.map(\.name) == ["input", "hidden1", "hidden2", "hidden3", "hidden4", "hidden5"])
        let widths = [784, 1000, 500, 250, 250, 250, 10]
        let linear = zip(widths, widths.dropFirst()).map { $0 * $1 + $1 }.reduce(0, +)
        let batchNorm = widths.dropFirst().dropLast().map { 2 * $0 }.reduce(0, +)
        #expect(model.parameterCount == linear + batchNorm)
        #expect(model.namedBuffers().count == 10, "two running statistics per BatchNorm")
    }

    @Test func noiseLayersAreOffInEvaluationAndOnInTraining() {
        var generator = SeededGenerator(seed: 2)
        let noisy = Models.ladderMLP(
            inputSize: 6, hiddenSizes: [5, 4], classCount: 3, inputNoise: 0.3, hiddenNoise: 0.5, using: &generator)
        let input = randomBatch([4, 6], seed: 3)
        #expect(noisy.inferring(input).scalars == noisy.inferring(input).scalars)
        var c1 = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 1))
        var c2 = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 2))
        let a = withoutGradients { noisy(input, context: &c1) }
        let b = withoutGradients { noisy(input, context: &c2) }
        #expect(a.scalars != b.scalars, "training draws noise")
        ModelsTests.expectSplitForwardMatches(noisy, input: input)
    }

    /// With `topBatchNorm` the logits of a training batch are batch-normalised: at initialisation (γ = 1, β = 0) each
    /// class's logit has mean 0 and variance ≈ 1 over the batch, so no class can win for every sample; the mix points
    /// and the split forward are unchanged, and gradients reach the first layer.
    @Test func topBatchNormNormalisesTheLogitsOverTheBatch() throws {
        var generator = SeededGenerator(seed: 4)
        let plain = Models.ladderMLP(inputSize: 6, hiddenSizes: [8, 5], classCount: 3, using: &generator)
        let model = Models.ladderMLP(
            inputSize: 6, hiddenSizes: [8, 5], classCount: 3, topBatchNorm: true, using: &generator)
        #expect(model.mixPoints.map(\.name) == plain.mixPoints.map(\.name))
        #expect(model.parameterCount == plain.parameterCount + 2 * 3)
        #expect(model.namedBuffers().count == plain.namedBuffers().count + 2)
        let input = randomBatch([16, 6], seed: 5)
        var context = ForwardContext(isTraining: true)
        let logits = model(input, context: &context)
        for column in 0..<3 {
            let values = (0..<16).map { Double(logits.scalars[$0 * 3 + column]) }
            let mean = values.reduce(0, +) / 16
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 16
            #expect(abs(mean) < 1e-4 && abs(variance - 1) < 0.01, "class \(column): mean \(mean), variance \(variance)")
        }
        logits.sum().backward()
        #expect(model.allParameters.allSatisfy { $0.gradient != nil })
        ModelsTests.expectSplitForwardMatches(model, input: input)
        let copy = try model.copy()
        #expect(copy.inferring(input).scalars == model.inferring(input).scalars)
    }
}
