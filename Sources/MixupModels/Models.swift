import MixupMixing
import MixupNN
import MixupTensor

/// Constructors for the networks MixupKit trains. Each returns a ``MixableSequential`` whose eligible mix points are
/// whole-block boundaries (never inside a residual branch); the first is always the input.
public enum Models {
    /// The activation of an MLP's hidden layers.
    public enum Activation: String, Sendable, CaseIterable {
        /// max(x, 0).
        case relu
        /// Leaky ReLU with slope 0.01.
        case leakyRelu
        /// tanh.
        case tanh

        func makeLayer() -> any Layer {
            switch self {
            case .relu: ReLU()
            case .leakyRelu: LeakyReLU()
            case .tanh: Tanh()
            }
        }
    }

    /// A multilayer perceptron `[batch, inputSize]` → `[batch, classCount]` logits.
    ///
    /// Each hidden block is Linear(-BatchNorm)-activation(-Dropout); the mix points are the input and the output of
    /// every hidden block (`"hidden1"`, `"hidden2"`, …). Inputs of any shape `[batch, ...]` are flattened by the first
    /// block, so an image batch can be mixed spatially (CutMix) at the input of an MLP.
    /// - Precondition: sizes are positive; `dropout` ∈ [0, 1).
    public static func mlp(
        inputSize: Int, hiddenSizes: [Int], classCount: Int, activation: Activation = .relu, batchNorm: Bool = false,
        dropout: Double = 0, using generator: inout some RandomNumberGenerator
    ) -> MixableSequential {
        precondition(
            inputSize > 0 && classCount > 0 && hiddenSizes.allSatisfy { $0 > 0 }, "mlp: sizes must be positive")
        var blocks: [any Layer] = []
        var points: [MixPoint] = [.input]
        var width = inputSize
        for (index, size) in hiddenSizes.enumerated() {
            var layers: [any Layer] = index == 0 ? [Flatten()] : []
            layers.append(Linear(inputSize: width, outputSize: size, using: &generator))
            if batchNorm { layers.append(BatchNorm(featureCount: size)) }
            layers.append(activation.makeLayer())
            if dropout > 0 { layers.append(Dropout(probability: dropout)) }
            blocks.append(Sequential(layers))
            points.append(MixPoint(boundary: index + 1, name: "hidden\(index + 1)"))
            width = size
        }
        blocks.append(Linear(inputSize: width, outputSize: classCount, using: &generator))
        return MixableSequential(blocks, mixPoints: points)
    }

    /// The Ladder-network / Improved-GAN MLP of permutation-invariant MNIST (Rasmus et al. 2015; Salimans et al. 2016):
    /// by default 784-1000-500-250-250-250-10, each hidden block Linear → BatchNorm → ReLU, weights initialised as
    /// PyTorch does (U(±1/√fanIn)).
    ///
    /// `[batch, ...]` inputs are flattened. Optional train-time ``GaussianNoise``: `inputNoise` is added to the
    /// flattened input (inside the first block, after any input-space mixing), `hiddenNoise` after every hidden block's
    /// ReLU (the Ladder / Bad GAN choice is 0.3 and 0.5); both are off in evaluation. Mix points: the input and the
    /// output of every hidden block (`"hidden1"` … `"hidden5"`), for Manifold Mixup and manifold ICT / MixMatch.
    /// With `topBatchNorm` the logits pass through a BatchNorm too (Linear → BatchNorm, as in the VAT authors' MNIST
    /// networks and the Ladder network's top layer): within a training batch every class's logit then has a learned
    /// mean and spread, so the network cannot give one class to every sample of a batch.
    /// - Precondition: at least one hidden layer, sizes positive, noise levels non-negative.
    public static func ladderMLP(
        inputSize: Int = 784, hiddenSizes: [Int] = [1000, 500, 250, 250, 250], classCount: Int = 10,
        inputNoise: Float = 0, hiddenNoise: Float = 0, topBatchNorm: Bool = false,
        using generator: inout some RandomNumberGenerator
    ) -> MixableSequential {
        precondition(
            inputSize > 0 && classCount > 0 && !hiddenSizes.isEmpty && hiddenSizes.allSatisfy { $0 > 0 },
            "ladderMLP: needs at least one hidden layer and positive sizes, got \(hiddenSizes)")
        precondition(inputNoise >= 0 && hiddenNoise >= 0, "ladderMLP: noise levels must be non-negative")
        var blocks: [any Layer] = []
        var points: [MixPoint] = [.input]
        var width = inputSize
        for (index, size) in hiddenSizes.enumerated() {
            var layers: [any Layer] = []
            if index == 0 {
                layers.append(Flatten())
                if inputNoise > 0 { layers.append(GaussianNoise(standardDeviation: inputNoise)) }
            }
            layers.append(
                Linear(inputSize: width, outputSize: size, initialization: .pytorchDefault, using: &generator))
            layers.append(BatchNorm(featureCount: size))
            layers.append(ReLU())
            if hiddenNoise > 0 { layers.append(GaussianNoise(standardDeviation: hiddenNoise)) }
            blocks.append(Sequential(layers))
            points.append(MixPoint(boundary: index + 1, name: "hidden\(index + 1)"))
            width = size
        }
        let top = Linear(inputSize: width, outputSize: classCount, initialization: .pytorchDefault, using: &generator)
        blocks.append(topBatchNorm ? Sequential([top, BatchNorm(featureCount: classCount)]) : top)
        return MixableSequential(blocks, mixPoints: points)
    }

    /// The benchmark CNN for `[batch, channels, 28, 28]` images: two blocks of
    /// (conv3×3-BN-ReLU)×2 + max-pool (32 then 64 channels), then Linear(64·7·7 → 256)-ReLU-Linear(256 → classes).
    ///
    /// Mix points: `"input"`, `"block1"` (after the first pool), `"block2"` (after the second).
    /// - Throws: ``ModelError`` when `imageSize` is not a positive multiple of 4 (the two pools halve it twice) or a
    ///   channel, class or width count is not positive.
    public static func cnn(
        inputChannels: Int = 1, imageSize: Int = 28, classCount: Int = 10, widths: (Int, Int) = (32, 64),
        using generator: inout some RandomNumberGenerator
    ) throws(ModelError) -> MixableSequential {
        guard imageSize > 0, imageSize % 4 == 0 else { throw .imageSizeNotDivisible(imageSize: imageSize, by: 4) }
        for (name, value) in [
            ("inputChannels", inputChannels), ("classCount", classCount), ("widths.0", widths.0),
            ("widths.1", widths.1),
        ] where value <= 0 {
            throw .nonPositiveSize(name: name, value: value)
        }
        func convBlock(_ inChannels: Int, _ outChannels: Int) -> [any Layer] {
            [
                Conv2D(
                    inChannels: inChannels, outChannels: outChannels, kernelSize: 3, padding: 1, hasBias: false,
                    using: &generator),
                BatchNorm(featureCount: outChannels), ReLU(),
            ]
        }
        let block1 = Sequential(
            convBlock(inputChannels, widths.0) + convBlock(widths.0, widths.0) + [MaxPool2D(kernelSize: 2)])
        let block2 = Sequential(
            convBlock(widths.0, widths.1) + convBlock(widths.1, widths.1) + [MaxPool2D(kernelSize: 2)])
        let side = imageSize / 4
        let head = Sequential([
            Flatten(), Linear(inputSize: widths.1 * side * side, outputSize: 256, using: &generator), ReLU(),
            Linear(inputSize: 256, outputSize: classCount, using: &generator),
        ])
        return MixableSequential(
            [block1, block2, head],
            mixPoints: [.input, MixPoint(boundary: 1, name: "block1"), MixPoint(boundary: 2, name: "block2")])
    }

    /// A pre-activation ResNet (He et al. 2016) for `[batch, channels, h, w]` images.
    ///
    /// A 3×3 stem convolution, then stages of ``PreActivationBlock``s (the first block of every stage after the first
    /// halves the resolution), then BN-ReLU-global-average-pool-Linear. Mix points are the input and every stage
    /// boundary (`"stage1"`, `"stage2"`, …) — Manifold Mixup's {input, after stage 1, after stage 2} are among them.
    /// - Parameters:
    ///   - blocksPerStage: e.g. `[2, 2, 2, 2]` for PreActResNet-18, `[3, 3, 3]` for the ResNet-20 layout.
    ///   - widths: channels per stage, e.g. `[64, 128, 256, 512]` or `[16, 32, 64]`.
    public static func preActResNet(
        blocksPerStage: [Int], widths: [Int], inputChannels: Int = 3, classCount: Int = 10,
        using generator: inout some RandomNumberGenerator
    ) -> MixableSequential {
        precondition(
            !blocksPerStage.isEmpty && blocksPerStage.count == widths.count && blocksPerStage.allSatisfy { $0 > 0 },
            "preActResNet: blocksPerStage \(blocksPerStage) and widths \(widths) must be non-empty and of equal length")
        var blocks: [any Layer] = [
            Conv2D(
                inChannels: inputChannels, outChannels: widths[0], kernelSize: 3, padding: 1, hasBias: false,
                using: &generator)
        ]
        var points: [MixPoint] = [.input]
        var channels = widths[0]
        for (stage, (count, width)) in zip(blocksPerStage, widths).enumerated() {
            var stageBlocks: [any Layer] = []
            for index in 0..<count {
                let stride = stage > 0 && index == 0 ? 2 : 1
                stageBlocks.append(
                    PreActivationBlock(inChannels: channels, outChannels: width, stride: stride, using: &generator))
                channels = width
            }
            blocks.append(Sequential(stageBlocks))
            points.append(MixPoint(boundary: blocks.count, name: "stage\(stage + 1)"))
        }
        blocks.append(
            Sequential([
                BatchNorm(featureCount: channels), ReLU(), GlobalAvgPool(),
                Linear(inputSize: channels, outputSize: classCount, using: &generator),
            ]))
        return MixableSequential(blocks, mixPoints: points)
    }

    /// PreActResNet-18 as in the Manifold Mixup paper: stages [2, 2, 2, 2], widths [64, 128, 256, 512].
    public static func preActResNet18(
        inputChannels: Int = 3, classCount: Int = 10, using generator: inout some RandomNumberGenerator
    ) -> MixableSequential {
        preActResNet(
            blocksPerStage: [2, 2, 2, 2], widths: [64, 128, 256, 512], inputChannels: inputChannels,
            classCount: classCount,
            using: &generator)
    }

    /// The narrow ResNet-20 layout: three stages of three blocks, widths 16/32/64.
    public static func preActResNet20(
        inputChannels: Int = 3, classCount: Int = 10, using generator: inout some RandomNumberGenerator
    ) -> MixableSequential {
        preActResNet(
            blocksPerStage: [3, 3, 3], widths: [16, 32, 64], inputChannels: inputChannels, classCount: classCount,
            using: &generator)
    }
}
