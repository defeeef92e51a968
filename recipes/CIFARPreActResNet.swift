import MixupRunner

extension Recipe {
    /// CIFAR-10 with PreActResNet-18 and Manifold Mixup over {input, stage1, stage2} (the paper's setting), random
    /// crops and flips, SGD with the step schedule of the Mixup papers.
    public static var cifarPreActResNet18: Recipe {
        Recipe(
            name: "cifar-preactresnet18",
            summary: "CIFAR-10, PreActResNet-18, Manifold Mixup α=2 over {input, stage1, stage2} (needs --data)",
            data: BuiltinData.cifar10,
            model: { generator in Models.preActResNet18(using: &generator) },
            sampleShape: [3, 32, 32],
            regularizer: .builtin { try .manifoldMixup(alpha: 2, mixPoints: ["input", "stage1", "stage2"]) },
            optimizer: .sgd(learningRate: 0.1, momentum: 0.9, nesterov: false, weightDecay: 1e-4),
            schedule: .multiStep([0.5, 0.75]), epochs: 200, batchSize: 128,
            augmentation: { batch, generator in
                ImageAugmentation.cifar.apply(to: batch, using: &generator)
            })
    }

    /// CIFAR-10 with the narrow pre-activation ResNet-20 layout (16/32/64), CutMix by default.
    public static var cifarResNet20: Recipe {
        Recipe(
            name: "cifar-resnet20",
            summary: "CIFAR-10, pre-activation ResNet-20 (16/32/64), CutMix α=1 (needs --data)",
            data: BuiltinData.cifar10,
            model: { generator in Models.preActResNet20(using: &generator) },
            sampleShape: [3, 32, 32],
            regularizer: .builtin { try .cutMix(alpha: 1) },
            optimizer: .sgd(learningRate: 0.1, momentum: 0.9, nesterov: false, weightDecay: 1e-4),
            schedule: .cosine, epochs: 100, batchSize: 128,
            augmentation: { batch, generator in
                ImageAugmentation.cifar.apply(to: batch, using: &generator)
            })
    }
}
