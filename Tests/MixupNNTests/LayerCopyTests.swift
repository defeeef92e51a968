import MixupNN
import MixupTensor
import Testing
import _MixupTestSupport

/// `copy()` of every built-in layer: the same outputs, parameters and buffers, in independent storage.
@Suite struct LayerCopyTests {
    static func layers() -> [(String, any Layer, [Int])] {
        var generator = SeededGenerator(seed: 5)
        let conv = Conv2D(inChannels: 2, outChannels: 3, kernelSize: 3, stride: 2, padding: 1, using: &generator)
        let norm = BatchNorm(featureCount: 3, momentum: 0.3, epsilon: 1e-3)
        return [
            ("linear", Linear(inputSize: 4, outputSize: 3, using: &generator), [2, 4]),
            ("linear-no-bias", Linear(inputSize: 4, outputSize: 3, hasBias: false, using: &generator), [2, 4]),
            ("conv", conv, [2, 2, 5, 5]),
            ("batchnorm", norm, [4, 3]),
            ("dropout", Dropout(probability: 0.3), [2, 4]),
            ("gaussian-noise", GaussianNoise(standardDeviation: 0.4), [2, 4]),
            ("relu", ReLU(), [2, 4]), ("leaky", LeakyReLU(slope: 0.2), [2, 4]), ("tanh", Tanh(), [2, 4]),
            ("sigmoid", Sigmoid(), [2, 4]),
            ("maxpool", MaxPool2D(kernelSize: 2, stride: 1), [1, 2, 4, 4]),
            ("avgpool", AvgPool2D(kernelSize: 2), [1, 2, 4, 4]), ("gap", GlobalAvgPool(), [1, 2, 4, 4]),
            ("flatten", Flatten(), [1, 2, 4, 4]),
            (
                "sequential",
                Sequential([
                    Linear(inputSize: 4, outputSize: 5, using: &generator), BatchNorm(featureCount: 5), ReLU(),
                    Linear(inputSize: 5, outputSize: 2, using: &generator),
                ]), [3, 4]
            ),
        ]
    }

    static func state(_ layer: any Layer) -> [(String, Tensor)] {
        layer.namedParameters().map { ($0.name, $0.parameter.value) }
            + layer.namedBuffers().map { ($0.name, $0.buffer.value) }
    }

    @Test func copyEqualsTheOriginal() throws {
        for (name, layer, shape) in Self.layers() {
            // Move BatchNorm's running statistics away from their initial values first.
            var warmup = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 1))
            _ = layer(randomTensor(shape, seed: 3), context: &warmup)
            let copy = try layer.copy()
            #expect(type(of: copy) == type(of: layer), "\(name)")
            #expect(copy !== layer, "\(name): a new instance")
            let original = Self.state(layer), copied = Self.state(copy)
            #expect(original.map(\.0) == copied.map(\.0), "\(name): same names")
            for ((key, a), (_, b)) in zip(original, copied) {
                #expect(a.shape == b.shape && a.scalars == b.scalars, "\(name).\(key)")
            }
            let input = randomTensor(shape, seed: 4)
            for training in [false, true] {
                var c1 = ForwardContext(isTraining: training, generator: SeededGenerator(seed: 9))
                var c2 = ForwardContext(isTraining: training, generator: SeededGenerator(seed: 9))
                let a = withoutGradients { layer(input, context: &c1) }
                let b = withoutGradients { copy(input, context: &c2) }
                #expect(a.scalars == b.scalars, "\(name): same output (training: \(training))")
            }
        }
    }

    @Test func copyIsIndependentOfTheOriginal() throws {
        for (name, layer, shape) in Self.layers() {
            let copy = try layer.copy()
            let before = Self.state(copy).map(\.1.scalars)
            // Change every parameter and buffer of the original, and train its BatchNorm statistics.
            for parameter in layer.allParameters + layer.namedBuffers().map(\.buffer) {
                parameter.value = parameter.value + Tensor.filled(parameter.value.shape, with: 1)
                parameter.gradient = Tensor.filled(parameter.value.shape, with: 2)
            }
            var context = ForwardContext(isTraining: true)
            _ = layer(randomTensor(shape, seed: 8), context: &context)
            #expect(Self.state(copy).map(\.1.scalars) == before, "\(name): the copy did not change")
            #expect(copy.allParameters.allSatisfy { $0.gradient == nil }, "\(name): gradients are not copied")
            // And the other way round: changing the copy leaves the original alone.
            let original = Self.state(layer).map(\.1.scalars)
            for parameter in copy.allParameters { parameter.value = Tensor.zeros(parameter.value.shape) }
            #expect(Self.state(layer).map(\.1.scalars) == original, "\(name): the original did not change")
        }
    }

    /// A layer written before copies existed.
    final class LegacyLayer: Layer {
        func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor { input }
    }

    @Test func aLayerWithoutCopyThrowsNamingItsType() {
        #expect(throws: LayerCopyError.notCopyable(layerType: "LegacyLayer")) { try LegacyLayer().copy() }
        #expect(throws: LayerCopyError.self) { try Sequential([ReLU(), LegacyLayer()]).copy() }
        #expect(LayerCopyError.notCopyable(layerType: "LegacyLayer").description.contains("LegacyLayer"))
    }
}
