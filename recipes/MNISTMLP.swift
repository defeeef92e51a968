import MixupRunner

extension Recipe {
    /// MNIST with the 784-1024-1024-10 ReLU MLP. Without `--strategy` it compares ERM, input Mixup and Manifold Mixup
    /// with the same budget; `--strategy cutmix` etc. trains one.
    public static var mnistMLP: Recipe {
        Recipe(
            name: "mnist-mlp",
            summary:
                "MNIST, MLP 784-1024-1024-10; compares ERM, Mixup and Manifold Mixup (needs --data or ../shared/data/mnist)",
            data: BuiltinData.mnist,
            model: { generator in
                Models.mlp(inputSize: 784, hiddenSizes: [1024, 1024], classCount: 10, using: &generator)
            },
            sampleShape: [1, 28, 28],
            regularizer: .erm,
            comparison: [.erm, .builtin { try .mixup(alpha: 1) }, .builtin { try .manifoldMixup(alpha: 2) }],
            optimizer: .sgd(learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-4),
            schedule: .cosine, epochs: 10, batchSize: 128)
    }
}
