import MixupNN
import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct SequentialTests {
    private func makeModel(seed: UInt64 = 1) -> Sequential {
        var generator = SeededGenerator(seed: seed)
        return Sequential([
            Linear(inputSize: 3, outputSize: 6, using: &generator),
            ReLU(),
            Linear(inputSize: 6, outputSize: 5, using: &generator),
            BatchNorm(featureCount: 5),
            Tanh(),
            Dropout(probability: 0.3),
            Linear(inputSize: 5, outputSize: 2, using: &generator),
        ])
    }

    @Test(arguments: [false, true])
    func splitForwardEqualsFullForwardAtEveryBoundary(isTraining: Bool) {
        let model = makeModel()
        let x = randomTensor([8, 3], seed: 2)
        var fullContext = ForwardContext(isTraining: isTraining, generator: SeededGenerator(seed: 3))
        let full = model(x, context: &fullContext)
        #expect(full.shape == [8, 2])
        for k in 0...model.layers.count {
            var context = ForwardContext(isTraining: isTraining, generator: SeededGenerator(seed: 3))
            let hidden = model.forward(x, from: 0, to: k, context: &context)
            let output = model.forward(hidden, from: k, to: model.layers.count, context: &context)
            expectClose(output, full, tolerance: 1e-5)
            #expect(context.generator == fullContext.generator)
        }
        // The empty range is the identity.
        var context = ForwardContext.inference
        #expect(model.forward(x, from: 2, to: 2, context: &context).scalars == x.scalars)
    }

    @Test func namedParametersUseLayerIndices() {
        let model = makeModel()
        #expect(
            model.namedParameters().map(\.name) == [
                "0.weight", "0.bias", "2.weight", "2.bias", "3.weight", "3.bias", "6.weight", "6.bias",
            ])
        #expect(model.namedBuffers().map(\.name) == ["3.running_mean", "3.running_var"])
        #expect(model.parameterCount == (3 * 6 + 6) + (6 * 5 + 5) + (5 + 5) + (5 * 2 + 2))
        #expect(model.allParameters.count == 8)
        #expect(model.children.map(\.name) == ["0", "1", "2", "3", "4", "5", "6"])
        #expect(model.parameters.isEmpty)
    }

    @Test func nestedContainersGetDottedNames() {
        var generator = SeededGenerator(seed: 4)
        let inner = Sequential([Linear(inputSize: 2, outputSize: 2, using: &generator), BatchNorm(featureCount: 2)])
        let outer = Sequential([ReLU(), inner, Linear(inputSize: 2, outputSize: 1, hasBias: false, using: &generator)])
        #expect(
            outer.namedParameters().map(\.name) == ["1.0.weight", "1.0.bias", "1.1.weight", "1.1.bias", "2.weight"])
        #expect(outer.namedBuffers().map(\.name) == ["1.1.running_mean", "1.1.running_var"])
        #expect(outer.namedParameters(prefix: "model.").first?.name == "model.1.0.weight")
        #expect(outer.parameterCount == 6 + 4 + 2)
    }

    @Test func gradientsThroughTheWholeModelMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 5)
        let model = Sequential([
            Linear(inputSize: 3, outputSize: 4, using: &generator),
            Tanh(),
            BatchNorm(featureCount: 4),
            Dropout(probability: 0.25),
            Linear(inputSize: 4, outputSize: 2, using: &generator),
        ])
        expectLayerGradientsMatchFiniteDifferences(model, input: randomTensor([5, 3], seed: 6), isTraining: true)
    }

    @Test func inferringDoesNotRecordGradientsOrUpdateBuffers() {
        let model = makeModel()
        let before = model.namedBuffers().map(\.buffer.value.scalars)
        let y = model.inferring(randomTensor([4, 3], seed: 7))
        #expect(!y.requiresGradient)
        #expect(model.namedBuffers().map(\.buffer.value.scalars) == before)
        // Inference is deterministic (dropout off).
        #expect(model.inferring(randomTensor([4, 3], seed: 7)).scalars == y.scalars)
    }
}
