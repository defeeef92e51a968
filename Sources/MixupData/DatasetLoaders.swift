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
        throw .missingFile(candidates: names, directory: directory)
    }

    /// MNIST-family IDX files (MNIST, Fashion-MNIST, KMNIST) from `directory`, gzip-compressed as distributed or
    /// uncompressed: `train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]`, `t10k-images-idx3-ubyte[.gz]`,
    /// `t10k-labels-idx1-ubyte[.gz]`.
    ///
    /// Pixels are scaled to [0, 1]; samples are `[1, 28, 28]`. There are 10 classes, whatever `limit` is, and every
    /// label of both label files — also those beyond `limit` — must be in `0..<10`.
    /// - Parameters:
    ///   - limit: read at most this many samples from each split (for smoke tests).
    ///   - limits: bounds on reading and decompressing the files.
    ///   - allowNonFinite: accept NaN and infinite pixels in float IDX files instead of throwing.
    /// - Throws: ``DataError`` naming the file for a missing, truncated or corrupt file, mismatched counts, a label
    ///   outside `0..<10` (naming its index and value) or a non-finite pixel.
    public static func mnist(
        directory: String, limit: Int? = nil, limits: ReadLimits = .standard, allowNonFinite: Bool = false
    ) throws(DataError) -> (train: Dataset, test: Dataset) {
        let train = try idxPair(
            images: locate(["train-images-idx3-ubyte", "train-images.idx3-ubyte"], in: directory),
            labels: locate(["train-labels-idx1-ubyte", "train-labels.idx1-ubyte"], in: directory), name: "mnist-train",
            limit: limit, classCount: 10, limits: limits, allowNonFinite: allowNonFinite)
        let test = try idxPair(
            images: locate(["t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"], in: directory),
            labels: locate(["t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"], in: directory), name: "mnist-test",
            limit: limit, classCount: 10, limits: limits, allowNonFinite: allowNonFinite)
        return (train, test)
    }

    /// An IDX image file and its label file as a dataset of `[1, rows, columns]` samples (unsigned bytes scaled to
    /// [0, 1], float files as stored).
    ///
    /// Every label in the file is checked, also those beyond `limit`, so the class count never depends on `limit`.
    ///
    /// - Parameters:
    ///   - limit: keep at most this many samples.
    ///   - classCount: the number of classes, if known (10 for MNIST); `nil` infers it as the largest label + 1 over
    ///     the whole file, at most ``ReadLimits/maxClassCount``.
    ///   - limits: bounds on reading and decompressing the files.
    ///   - allowNonFinite: accept NaN and infinite pixels in float IDX files instead of throwing.
    /// - Throws: ``DataError/format(_:)`` for an unreadable or corrupt file (including a non-finite pixel, naming
    ///   record and element), ``DataError/invalidLabel(source:index:value:classCount:)`` naming the label file, the
    ///   index and the value of the first label outside the classes, and ``DataError`` for wrong dimensions or counts.
    public static func idxPair(
        images: String, labels: String, name: String, limit: Int? = nil, classCount: Int? = nil,
        limits: ReadLimits = .standard, allowNonFinite: Bool = false
    ) throws(DataError) -> Dataset {
        let imageFile: IDXFile
        let labelFile: IDXFile
        do {
            labelFile = try IDXFile(path: labels, limits: limits)
            imageFile = try IDXFile(path: images, limits: limits, allowNonFinite: allowNonFinite)
        } catch {
            throw .format(error)
        }
        guard imageFile.dimensions.count == 3 else {
            throw .shapeMismatch(
                source: images, expected: "3 dimensions (count, rows, columns)", found: "\(imageFile.dimensions)")
        }
        guard labelFile.dimensions.count == 1, let labelValues = labelFile.integerValues() else {
            throw .shapeMismatch(
                source: labels, expected: "a 1-dimensional integer label file",
                found: "\(labelFile.elementType) \(labelFile.dimensions)")
        }
        guard imageFile.dimensions[0] == labelValues.count else {
            throw .countMismatch(
                source: labels, what: "labels (one per image in \(images))", expected: imageFile.dimensions[0],
                found: labelValues.count)
        }
        let classes = try checkedClassCount(labelValues, declared: classCount, source: labels, limits: limits)
        let count = min(labelValues.count, max(limit ?? Int.max, 0))
        let (rows, columns) = (imageFile.dimensions[1], imageFile.dimensions[2])
        let pixels: [Float]
        if let bytes = imageFile.uint8Values {
            pixels = bytes.prefix(count * rows * columns).map { Float($0) / 255 }
        } else {
            pixels = Array(imageFile.floatValues().prefix(count * rows * columns))
        }
        return try Dataset(
            name: name, sampleShape: [1, rows, columns], samples: pixels, labels: Array(labelValues.prefix(count)),
            classCount: classes)
    }

    /// `declared`, or the largest label + 1 within `limits`, after checking every label against it.
    static func checkedClassCount(
        _ labels: [Int], declared: Int?, source: String, limits: ReadLimits
    ) throws(DataError) -> Int {
        let classCount = declared ?? min(max(labels.max() ?? 0, 0) + 1, limits.maxClassCount)
        if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
            throw .invalidLabel(source: source, index: bad, value: labels[bad], classCount: classCount)
        }
        return classCount
    }

    /// CIFAR-10 binary batches from `directory` (`data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin`, also
    /// inside a `cifar-10-batches-bin` sub-folder), or CIFAR-100 (`train.bin`, `test.bin`) when `variant` is
    /// `.cifar100`. Pixels are scaled to [0, 1]; samples are `[3, 32, 32]`.
    ///
    /// - Throws: ``DataError/format(_:)`` naming the file for a missing, truncated or corrupt batch (a label outside
    ///   the classes names its record and value).
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
                    throw .format(error)
                }
                if let limit, labels.count >= limit { break }
            }
            let count = min(labels.count, max(limit ?? Int.max, 0))
            return try Dataset(
                name: name, sampleShape: [3, 32, 32], samples: Array(pixels.prefix(count * 3072)),
                labels: Array(labels.prefix(count)), classCount: variant.classCount)
        }
        return (try load(trainFiles, "cifar-train"), try load(testFiles, "cifar-test"))
    }

    /// A numeric CSV file (optionally `.gz`): feature columns plus one label column (see `CSVTable` and
    /// `CSVTable.Options`: skipped rows, declared class count, non-finite values, limits).
    ///
    /// Text labels (e.g. `malignant`, `benign`) become classes `0..<k` in sorted order, and the returned dataset's
    /// ``Dataset/classNames`` holds the mapping.
    ///
    /// With ``CSVTable/Options/labelKind`` `.numeric` the label column is a regression target: the dataset has one
    /// ``Dataset/targets`` value per row and no classes.
    ///
    /// - Throws: ``DataError/format(_:)`` naming the file (and line and column where there is one) for an unreadable
    ///   or malformed file, a NaN or infinite feature, a label outside the declared or bounded classes, or a numeric
    ///   target that is not a finite number (naming the text).
    public static func csv(path: String, options: CSVTable.Options = .init()) throws(DataError) -> Dataset {
        let table: CSVTable
        do {
            table = try CSVTable(path: path, options: options)
        } catch {
            throw .format(error)
        }
        if let targets = table.targets {
            return try Dataset(
                name: (path as NSString).lastPathComponent, sampleShape: [table.featureCount], samples: table.features,
                targets: targets)
        }
        return try Dataset(
            name: (path as NSString).lastPathComponent, sampleShape: [table.featureCount], samples: table.features,
            labels: table.labels, classCount: table.classCount, classNames: table.classNames)
    }
}
