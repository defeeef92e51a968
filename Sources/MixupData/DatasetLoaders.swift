import Foundation
import MixupFormats

/// Loaders for the file formats users have. Every error names the file and what was wrong.
public enum DatasetLoaders {
    /// Finds `name` or `name.gz` in `directory`.
    static func locate(_ names: [String], in directory: String) throws(DataError) -> String {
        for name in names {
            for candidate in [name, name + ".gz"] {
                let path = (directory as NSString).appendingPathComponent(candidate)
                if FileManager.default.fileExists(atPath: path) { return path }
            }
        }
        throw DataError("none of \(names.map { $0 + "[.gz]" }) found in \(directory)")
    }

    /// MNIST-family IDX files (MNIST, Fashion-MNIST, KMNIST) from `directory`, gzip-compressed as distributed or
    /// uncompressed: `train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]`, `t10k-images-idx3-ubyte[.gz]`,
    /// `t10k-labels-idx1-ubyte[.gz]`.
    ///
    /// Pixels are scaled to [0, 1]; samples are `[1, 28, 28]`.
    /// - Parameter limit: read at most this many samples from each split (for smoke tests).
    /// - Throws: ``DataError`` naming the file for a missing, truncated or corrupt file, or mismatched counts.
    public static func mnist(directory: String, limit: Int? = nil) throws(DataError) -> (train: Dataset, test: Dataset)
    {
        let train = try idxPair(
            images: locate(["train-images-idx3-ubyte", "train-images.idx3-ubyte"], in: directory),
            labels: locate(["train-labels-idx1-ubyte", "train-labels.idx1-ubyte"], in: directory), name: "mnist-train",
            limit: limit)
        let test = try idxPair(
            images: locate(["t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"], in: directory),
            labels: locate(["t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"], in: directory), name: "mnist-test",
            limit: limit)
        return (train, test)
    }

    /// An IDX image file and its label file as a dataset of `[1, rows, columns]` samples scaled to [0, 1].
    public static func idxPair(images: String, labels: String, name: String, limit: Int? = nil) throws(DataError)
        -> Dataset
    {
        let imageFile: IDXFile
        let labelFile: IDXFile
        do {
            imageFile = try IDXFile(path: images)
            labelFile = try IDXFile(path: labels)
        } catch {
            throw DataError(error.description)
        }
        guard imageFile.dimensions.count == 3 else {
            throw DataError("\(images): expected 3 dimensions (count, rows, columns), found \(imageFile.dimensions)")
        }
        guard labelFile.dimensions.count == 1, let labelValues = labelFile.integerValues() else {
            throw DataError("\(labels): expected a 1-dimensional integer label file, found \(labelFile.dimensions)")
        }
        guard imageFile.dimensions[0] == labelValues.count else {
            throw DataError(
                "\(images) has \(imageFile.dimensions[0]) images but \(labels) has \(labelValues.count) labels")
        }
        let count = min(labelValues.count, limit ?? Int.max)
        let (rows, columns) = (imageFile.dimensions[1], imageFile.dimensions[2])
        let pixels: [Float]
        if let bytes = imageFile.uint8Values {
            pixels = bytes.prefix(count * rows * columns).map { Float($0) / 255 }
        } else {
            pixels = Array(imageFile.floatValues().prefix(count * rows * columns))
        }
        let classCount = max((labelValues.max() ?? 0) + 1, 10)
        return try Dataset(
            name: name, sampleShape: [1, rows, columns], samples: pixels, labels: Array(labelValues.prefix(count)),
            classCount: classCount)
    }

    /// CIFAR-10 binary batches from `directory` (`data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin`, also
    /// inside a `cifar-10-batches-bin` sub-folder), or CIFAR-100 (`train.bin`, `test.bin`) when `variant` is
    /// `.cifar100`. Pixels are scaled to [0, 1]; samples are `[3, 32, 32]`.
    public static func cifar(
        directory: String, variant: CIFARBatch.Variant = .cifar10, limit: Int? = nil
    ) throws(DataError) -> (train: Dataset, test: Dataset) {
        var folder = directory
        for sub in ["cifar-10-batches-bin", "cifar-100-binary"] {
            let candidate = (directory as NSString).appendingPathComponent(sub)
            if FileManager.default.fileExists(atPath: candidate) { folder = candidate }
        }
        let trainFiles = variant == .cifar10 ? (1...5).map { "data_batch_\($0).bin" } : ["train.bin"]
        let testFiles = variant == .cifar10 ? ["test_batch.bin"] : ["test.bin"]
        func load(_ files: [String], _ name: String) throws(DataError) -> Dataset {
            var pixels: [Float] = []
            var labels: [Int] = []
            for file in files {
                let path = (folder as NSString).appendingPathComponent(file)
                do {
                    let batch = try CIFARBatch(path: path, variant: variant)
                    pixels += batch.pixels.map { Float($0) / 255 }
                    labels += batch.labels
                } catch {
                    throw DataError(error.description)
                }
                if let limit, labels.count >= limit { break }
            }
            let count = min(labels.count, limit ?? Int.max)
            return try Dataset(
                name: name, sampleShape: [3, 32, 32], samples: Array(pixels.prefix(count * 3072)),
                labels: Array(labels.prefix(count)), classCount: variant.classCount)
        }
        return (try load(trainFiles, "cifar-train"), try load(testFiles, "cifar-test"))
    }

    /// A numeric CSV file: feature columns plus one label column (see `CSVTable.Options`).
    public static func csv(path: String, options: CSVTable.Options = .init()) throws(DataError) -> Dataset {
        let table: CSVTable
        do {
            table = try CSVTable(path: path, options: options)
        } catch {
            throw DataError(error.description)
        }
        let classCount = table.classNames?.count ?? ((table.labels.max() ?? 0) + 1)
        return try Dataset(
            name: (path as NSString).lastPathComponent, sampleShape: [table.featureCount], samples: table.features,
            labels: table.labels, classCount: classCount)
    }
}
