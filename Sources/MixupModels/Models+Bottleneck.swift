import MixupMixing
import MixupNN
import MixupTensor

extension Models {
    /// An MLP with a narrow linear bottleneck: `[batch, inputSize]` → hidden layers → `bottleneck` units (linear, no
    /// activation, so the representation is not clipped) → hidden layers → `[batch, classCount]` logits.
    ///
    /// Mix points: `"input"`, `"hidden1"` … `"hidden<k>"` (the outputs of the layers before the bottleneck) and
    /// `"bottleneck"`. Manifold Mixup restricted to the bottleneck is `.manifoldMixup(alpha: 2, mixPoints:
    /// ["bottleneck"])`. Used for the flattening study (Verma et al. 2019, §3.2 and App. G) and the 2-D bottleneck
    /// visualisations (Fig. 2, App. B).
    /// - Precondition: sizes are positive, `before` is not empty, `dropout` ∈ [0, 1).
    public static func bottleneckMLP(
        inputSize: Int, before: [Int], bottleneck: Int, after: [Int], classCount: Int,
        activation: Activation = .leakyRelu, batchNorm: Bool = false, dropout: Double = 0,
        using generator: inout some RandomNumberGenerator
    ) -> MixableSequential {
        precondition(
            inputSize > 0 && bottleneck > 0 && classCount > 0 && !before.isEmpty
                && (before + after).allSatisfy { $0 > 0 },
            "bottleneckMLP: sizes must be positive and `before` non-empty, got \(inputSize), \(before), "
                + "\(bottleneck), \(after), \(classCount)")
        func hidden(_ inputWidth: Int, _ width: Int, first: Bool) -> any Layer {
            var layers: [any Layer] = first ? [Flatten()] : []
            layers.append(Linear(inputSize: inputWidth, outputSize: width, using: &generator))
            if batchNorm { layers.append(BatchNorm(featureCount: width)) }
            layers.append(activation.makeLayer())
            if dropout > 0 { layers.append(Dropout(probability: dropout)) }
            return Sequential(layers)
        }
        var blocks: [any Layer] = []
        var points: [MixPoint] = [.input]
        var width = inputSize
        for (index, size) in before.enumerated() {
            blocks.append(hidden(width, size, first: index == 0))
            points.append(MixPoint(boundary: blocks.count, name: "hidden\(index + 1)"))
            width = size
        }
        blocks.append(Linear(inputSize: width, outputSize: bottleneck, using: &generator))
        points.append(MixPoint(boundary: blocks.count, name: "bottleneck"))
        width = bottleneck
        var tail: [any Layer] = []
        for size in after {
            tail.append(hidden(width, size, first: false))
            width = size
        }
        tail.append(Linear(inputSize: width, outputSize: classCount, using: &generator))
        blocks.append(Sequential(tail))
        return MixableSequential(blocks, mixPoints: points)
    }

    /// The 12-unit bottleneck network of Verma et al. (2019), App. G: 784 → 3×1024 (LeakyReLU) → 12 → 4×1024
    /// (LeakyReLU) → 10, for `[batch, 1, 28, 28]` or `[batch, 784]` MNIST inputs. The paper mixes only at the
    /// bottleneck (α = 2) and measures the singular values of the class-conditional bottleneck representations.
    public static func appendixGBottleneck(
        classCount: Int = 10, using generator: inout some RandomNumberGenerator
    ) -> MixableSequential {
        bottleneckMLP(
            inputSize: 784, before: [1024, 1024, 1024], bottleneck: 12, after: [1024, 1024, 1024, 1024],
            classCount: classCount, activation: .leakyRelu, using: &generator)
    }
}
