import MixupRunner

extension Recipe {
    /// MNIST with the benchmark CNN ((conv-BN-ReLU)×2-pool twice, then 3136→256→10), input Mixup by default.
    public static var mnistCNN: Recipe {
        Recipe(
            name: "mnist-cnn",
            summary: "MNIST, CNN (32/64 channels); input Mixup by default (--strategy to change)",
            data: BuiltinData.mnist,
            model: { generator in try Models.cnn(using: &generator) },
            sampleShape: [1, 28, 28],
            regularizer: .builtin { try .mixup(alpha: 1) },
            optimizer: .sgd(learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 5e-4),
            schedule: .cosine, epochs: 5, batchSize: 128)
    }
}
