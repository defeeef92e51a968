import Foundation
import MixupRunner

/// Semi-supervised recipes on permutation-invariant MNIST (an MLP on the flattened images, no image-specific
/// augmentation): `--labels N` labelled images (N/10 per class, seeded), the rest of the training set unlabelled,
/// evaluated on the 10,000 test images. Every pipeline is built from the same plugins: `--strategy manifold` or
/// `--strategy cutmix` swaps the mixing inside ICT, MixMatch or pseudo-labelling.
enum SemiSupervisedRecipes {
    /// The MLP used by every semi-supervised MNIST recipe.
    @Sendable static func model(_ generator: inout SeededGenerator) -> any MixableModel {
        Models.mlp(inputSize: 784, hiddenSizes: [1024, 1024], classCount: 10, using: &generator)
    }

    /// Gaussian pixel noise, the perturbation of permutation-invariant MNIST.
    @Sendable static func noise(_ batch: Tensor, _ generator: inout SeededGenerator) -> Tensor {
        ImageAugmentation(noiseStandardDeviation: 0.15).apply(to: batch, using: &generator)
    }

    /// MNIST split into `--labels` labelled (balanced) and the rest unlabelled.
    @Sendable static func data(_ request: DataRequest) throws -> RecipeData {
        let full = try BuiltinData.mnist(request)
        let labels = request.labels ?? 100
        guard labels % 10 == 0 else {
            throw RunnerError.invalidValue(
                flag: "--labels", value: String(labels), expected: "a multiple of 10 (balanced classes)")
        }
        var generator = SeededGenerator(seed: 7919 &+ request.seed)
        let (labelled, unlabelled) = try full.train.balancedSplit(labelsPerClass: labels / 10, using: &generator)
        return RecipeData(train: labelled, unlabelled: unlabelled, test: full.test)
    }

    /// The supervised-only baseline sees only the labelled images.
    @Sendable static func labelledOnly(_ request: DataRequest) throws -> RecipeData {
        let split = try data(request)
        return RecipeData(train: split.train, test: split.test)
    }

    static let optimizer = OptimizerSettings.adam(learningRate: 1e-3, weightDecay: 0, decoupled: false)

    /// `--strategy mixup` inside MixMatch means the paper's λ′ = max(λ, 1 − λ) interpolation.
    static func mixMatchMixing(_ regularizer: Regularizer, alpha: Double?) throws -> Regularizer {
        guard regularizer.name == "mixup" || regularizer.name == "erm" else { return regularizer }
        let strategy = try InterpolationStrategy(distribution: .beta(alpha: alpha ?? 0.75).keepingOriginalDominant())
        return try Regularizer(name: "mixup", strategy: strategy)
    }

    static var all: [Recipe] {
        [
            Recipe(
                name: "mnist-supervised", summary: "MNIST, MLP on the --labels labelled images only (baseline)",
                data: labelledOnly, model: model, sampleShape: [1, 28, 28], regularizer: .erm, optimizer: optimizer,
                schedule: .constant,
                epochs: 300, batchSize: 100, evaluationInterval: 50),
            Recipe(
                name: "mnist-ict",
                summary: "MNIST --labels N: Interpolation Consistency Training (mixup of unlabelled)",
                data: data, model: model, sampleShape: [1, 28, 28], regularizer: .builtin { try .mixup(alpha: 1) },
                objective: { regularizer, options in
                    var generator = SeededGenerator(seed: 0)
                    return ICTObjective(
                        mixing: regularizer, teacherModel: model(&generator), teacherDecay: 0.999,
                        consistencyWeight: SigmoidRampUp(maximum: options.unlabelledWeight ?? 10, fractionOfRun: 0.4))
                },
                optimizer: optimizer, schedule: .constant, epochs: 10, batchSize: 100, unlabelledBatchSize: 100,
                augmentation: noise),
            Recipe(
                name: "mnist-mixmatch", summary: "MNIST --labels N: MixMatch (K=2 noisy views, T=0.5, λ′=max(λ,1−λ))",
                data: data, model: model, sampleShape: [1, 28, 28], regularizer: .builtin { try .mixup(alpha: 0.75) },
                objective: { regularizer, options in
                    try MixMatchObjective(
                        mixing: mixMatchMixing(regularizer, alpha: options.alpha), augmentationCount: 2,
                        temperature: 0.5,
                        unlabelledWeight: SigmoidRampUp(maximum: options.unlabelledWeight ?? 50, fractionOfRun: 0.4),
                        augmentation: noise)
                },
                optimizer: optimizer, schedule: .constant, epochs: 10, batchSize: 100, unlabelledBatchSize: 100,
                augmentation: noise),
            Recipe(
                name: "mnist-pseudolabel",
                summary: "MNIST --labels N: confident (≥ 0.95) soft pseudo-labels with mixup (Arazo et al. 2020)",
                data: data, model: model, sampleShape: [1, 28, 28], regularizer: .builtin { try .mixup(alpha: 1) },
                objective: { regularizer, options in
                    try PseudoLabelObjective(
                        mixing: regularizer, confidenceThreshold: 0.95,
                        unlabelledWeight: SigmoidRampUp(maximum: options.unlabelledWeight ?? 1, fractionOfRun: 0.4))
                },
                optimizer: optimizer, schedule: .constant, epochs: 10, batchSize: 100, unlabelledBatchSize: 100,
                augmentation: noise),
            Recipe(
                name: "mnist-meanteacher", summary: "MNIST --labels N: Mean Teacher baseline (noise consistency, EMA)",
                data: data, model: model, sampleShape: [1, 28, 28], regularizer: .erm,
                objective: { regularizer, options in
                    var generator = SeededGenerator(seed: 0)
                    return MeanTeacherObjective(
                        teacherModel: model(&generator), teacherDecay: 0.999,
                        consistencyWeight: SigmoidRampUp(maximum: options.unlabelledWeight ?? 10, fractionOfRun: 0.4),
                        supervised: regularizer,
                        perturbation: noise)
                },
                optimizer: optimizer, schedule: .constant, epochs: 10, batchSize: 100, unlabelledBatchSize: 100,
                augmentation: noise),
        ]
    }
}
