import Foundation
import MixupRunner

/// Data builders shared by the built-in recipes.
enum BuiltinData {
    /// The MNIST folder: `--data`, else `../shared/data/mnist` or `data/mnist` under the current folder.
    static func mnistDirectory(_ request: DataRequest) throws -> String {
        if let path = request.path { return path }
        for candidate in ["../shared/data/mnist", "data/mnist", "mnist"]
        where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        throw RunnerError.missingData(
            "MNIST files not found: pass --data DIR with train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (gzip-compressed or not)")
    }

    /// MNIST as `[1, 28, 28]` images in [0, 1].
    static func mnist(_ request: DataRequest) throws -> RecipeData {
        let (train, test) = try DatasetLoaders.mnist(directory: try mnistDirectory(request), limit: request.limit)
        return RecipeData(train: train, test: test)
    }

    /// CIFAR-10 from `--data` (binary batches), normalised per channel with the training statistics.
    static func cifar10(_ request: DataRequest) throws -> RecipeData {
        guard
            let path = request.path
                ?? ["data/cifar-10-batches-bin", "../shared/data/cifar10"].first(where: {
                    FileManager.default.fileExists(atPath: $0)
                })
        else {
            throw RunnerError.missingData(
                "CIFAR-10 files not found: pass --data DIR with data_batch_1.bin … data_batch_5.bin and test_batch.bin")
        }
        let (train, test) = try DatasetLoaders.cifar(directory: path, limit: request.limit)
        let normalization = try ChannelNormalization(fitting: train)
        return RecipeData(train: try normalization.apply(to: train), test: try normalization.apply(to: test))
    }

    /// Two interleaved spirals (Verma et al. 2019, Figure 1): a seeded training set and an independent test set.
    static func spirals(_ request: DataRequest) throws -> RecipeData {
        var trainGenerator = SeededGenerator(seed: 1000 + request.seed)
        var testGenerator = SeededGenerator(seed: 2000 + request.seed)
        // `--limit N` caps the samples per split (N / 2 per class, at least one).
        let perClass = max(1, min(request.limit ?? 1000, 1000) / 2)
        return RecipeData(
            train: SyntheticData.twoSpirals(pointsPerClass: perClass, noise: 0.04, turns: 1.5, using: &trainGenerator),
            test: SyntheticData.twoSpirals(pointsPerClass: perClass, noise: 0.04, turns: 1.5, using: &testGenerator))
    }
}
