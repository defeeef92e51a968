import MixupKit
import Testing

/// `copy()` of every built-in model: same architecture, mix points, weights and outputs; independent storage.
@Suite struct ModelCopyTests {
    static func models() throws -> [(String, MixableSequential, [Int])] {
        var generator = SeededGenerator(seed: 11)
        return [
            (
                "mlp",
                Models.mlp(inputSize: 6, hiddenSizes: [5, 4], classCount: 3, batchNorm: true, using: &generator),
                [4, 6]
            ),
            (
                "cnn", try Models.cnn(inputChannels: 1, imageSize: 8, classCount: 3, widths: (2, 3), using: &generator),
                [2, 1, 8, 8]
            ),
            (
                "resnet",
                Models.preActResNet(
                    blocksPerStage: [1, 1], widths: [2, 4], inputChannels: 1, classCount: 3, using: &generator),
                [2, 1, 6, 6]
            ),
            ("ladder", Models.ladderMLP(inputSize: 6, hiddenSizes: [5, 4], classCount: 3, using: &generator), [4, 6]),
        ]
    }

    @Test func modelCopyEqualsTheOriginal() throws {
        for (name, model, shape) in try Self.models() {
            var warmup = ForwardContext(isTraining: true)
            _ = withoutGradients { model(randomBatch(shape, seed: 1), context: &warmup) }
            let copy = try model.copy()
            #expect(copy.mixPoints == model.mixPoints, "\(name)")
            let a = model.namedParameters() + model.namedBuffers().map { ($0.name, $0.buffer) }
            let b = copy.namedParameters() + copy.namedBuffers().map { ($0.name, $0.buffer) }
            #expect(a.map(\.0) == b.map(\.0), "\(name): same names")
            #expect(zip(a, b).allSatisfy { $0.1.value.scalars == $1.1.value.scalars && $0.1 !== $1.1 }, "\(name)")
            let input = randomBatch(shape, seed: 2)
            #expect(model.inferring(input).scalars == copy.inferring(input).scalars, "\(name): same predictions")
            // Through an existential, as objectives hold models.
            let existential: any MixableModel = model
            let viaExistential = try existential.copy()
            #expect(viaExistential.inferring(input).scalars == model.inferring(input).scalars, "\(name)")
        }
    }

    @Test func trainingTheOriginalLeavesTheCopyUnchanged() throws {
        for (name, model, shape) in try Self.models() {
            let copy = try model.copy()
            let input = randomBatch(shape, seed: 3)
            let before = copy.inferring(input)
            let optimizer = SGD(parameters: model.allParameters, learningRate: 0.5, momentum: 0)
            for _ in 0..<2 {
                var context = ForwardContext(isTraining: true)
                model(input, context: &context).squared().sum().backward()
                optimizer.step()
                optimizer.zeroGradients()
            }
            #expect(model.inferring(input).scalars != before.scalars, "\(name): the original trained")
            #expect(copy.inferring(input).scalars == before.scalars, "\(name): the copy did not move")
        }
    }
}
