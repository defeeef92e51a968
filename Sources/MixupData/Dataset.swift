import MixupTensor

/// An in-memory dataset: samples of a fixed shape with optional integer class labels, or numeric regression targets.
///
/// Samples are stored contiguously as `Float`s (`count × sampleShape` row-major). An unlabelled split is a `Dataset`
/// whose ``labels`` is `nil`, so code that needs labels cannot read them by accident. A regression dataset (made with
/// ``init(name:sampleShape:samples:targets:targetWidth:)``) has no ``labels`` and no classes; its ``targets`` hold
/// ``targetWidth`` numbers per sample.
public struct Dataset: Sendable {
    /// The shape of one sample, e.g. `[1, 28, 28]` for MNIST or `[2]` for two spirals.
    public let sampleShape: [Int]
    /// All samples, `count × sampleShape` row-major.
    public let samples: [Float]
    /// One class index per sample, or `nil` for an unlabelled split.
    public let labels: [Int]?
    /// The number of classes.
    public let classCount: Int
    /// A name for logs and errors (e.g. `"mnist-train"`).
    public let name: String
    /// The name of each class, `[classCount]`, when the labels were mapped from text (e.g. a CSV column of `setosa`,
    /// `versicolor`, …): class `i` is `classNames[i]`. `nil` when the labels are the file's own integers. Save it with
    /// a run so predictions can be turned back into names.
    public let classNames: [String]?
    /// The numeric regression targets, `count × targetWidth` row-major, or `nil` for a classification or unlabelled
    /// dataset.
    public let targets: [Float]?
    /// The number of regression targets per sample (0 without ``targets``).
    public let targetWidth: Int

    /// Creates a dataset.
    ///
    /// - Parameter classNames: the name of each class when labels were mapped from text (see ``classNames``).
    /// - Throws: ``DataError`` if the sample count does not divide evenly, the label count differs from the sample
    ///   count, a label is outside `0..<classCount`, or `classNames` does not have `classCount` entries.
    public init(
        name: String, sampleShape: [Int], samples: [Float], labels: [Int]?, classCount: Int,
        classNames: [String]? = nil
    ) throws(DataError) {
        let (sampleSize, overflow) = sampleShape.reduce((1, false)) { partial, extent in
            let (product, flag) = partial.0.multipliedReportingOverflow(by: extent)
            return (product, partial.1 || flag || extent < 0)
        }
        guard !overflow, sampleSize > 0, samples.count % sampleSize == 0 else {
            throw .shapeMismatch(
                source: name, expected: "samples of shape \(sampleShape)", found: "\(samples.count) values")
        }
        let count = samples.count / sampleSize
        if let labels {
            guard labels.count == count else { throw .labelCount(source: name, labels: labels.count, samples: count) }
            if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
                throw .invalidLabel(source: name, index: bad, value: labels[bad], classCount: classCount)
            }
        }
        if let classNames, classNames.count != classCount {
            throw .countMismatch(
                source: name, what: "class names (one per class)", expected: classCount, found: classNames.count)
        }
        self.name = name
        self.sampleShape = sampleShape
        self.samples = samples
        self.labels = labels
        self.classCount = classCount
        self.classNames = classNames
        self.targets = nil
        self.targetWidth = 0
    }

    /// Creates a regression dataset: `targetWidth` numeric targets per sample, no class labels (``classCount`` 0).
    ///
    /// - Parameters:
    ///   - targets: `count × targetWidth` finite values, row-major.
    ///   - targetWidth: targets per sample, ≥ 1.
    /// - Throws: ``DataError`` if the sample count does not divide evenly, `targetWidth` is not positive, the target
    ///   count is not `count × targetWidth`, or a target is NaN or infinite (naming its index and value).
    public init(name: String, sampleShape: [Int], samples: [Float], targets: [Float], targetWidth: Int = 1)
        throws(DataError)
    {
        let shaped = try Dataset(name: name, sampleShape: sampleShape, samples: samples, labels: nil, classCount: 0)
        guard targetWidth > 0 else {
            throw .invalidArgument(source: name, name: "targetWidth", value: "\(targetWidth)", reason: "must be ≥ 1")
        }
        let (expected, overflow) = shaped.count.multipliedReportingOverflow(by: targetWidth)
        guard !overflow, targets.count == expected else {
            throw .countMismatch(
                source: name, what: "regression targets (\(targetWidth) per sample)", expected: expected,
                found: targets.count)
        }
        if let bad = targets.firstIndex(where: { !$0.isFinite }) {
            throw .invalidArgument(
                source: name, name: "regression target \(bad)", value: "\(targets[bad])", reason: "must be finite")
        }
        self.init(
            unchecked: name, sampleShape: sampleShape, samples: samples, labels: nil, classCount: 0,
            targets: targets, targetWidth: targetWidth)
    }

    /// The number of samples.
    public var count: Int { samples.count / sampleShape.reduce(1, *) }
    /// The number of values in one sample.
    public var sampleSize: Int { sampleShape.reduce(1, *) }
    /// Whether the dataset carries labels.
    public var isLabelled: Bool { labels != nil }
    /// Whether the dataset carries regression ``targets``.
    public var isRegression: Bool { targets != nil }

    /// The regression targets at `indices` as a `[indices.count, targetWidth]` tensor.
    ///
    /// - Precondition: the dataset is a regression dataset.
    public func targets(at indices: [Int]) -> Tensor {
        guard let targets else { preconditionFailure("\(name) has no regression targets") }
        let width = targetWidth
        var values = [Float](repeating: 0, count: indices.count * width)
        for (row, index) in indices.enumerated() {
            for k in 0..<width { values[row * width + k] = targets[index * width + k] }
        }
        return Tensor(shape: [indices.count, width], scalars: values)
    }

    /// The samples at `indices` as a `[indices.count] + sampleShape` tensor.
    public func inputs(at indices: [Int]) -> Tensor {
        let size = sampleSize
        var values = [Float](repeating: 0, count: indices.count * size)
        samples.withUnsafeBufferPointer { source in
            values.withUnsafeMutableBufferPointer { destination in
                for (row, index) in indices.enumerated() {
                    precondition(
                        index >= 0 && index < count, "\(name): sample index \(index) out of range 0..<\(count)")
                    for i in 0..<size { destination[row * size + i] = source[index * size + i] }
                }
            }
        }
        return Tensor(shape: [indices.count] + sampleShape, scalars: values)
    }

    /// The labels at `indices`.
    ///
    /// - Precondition: the dataset is labelled.
    public func labels(at indices: [Int]) -> [Int] {
        guard let labels else { preconditionFailure("\(name) is unlabelled") }
        return indices.map { labels[$0] }
    }

    /// A new dataset with the samples at `indices`, in that order.
    public func subset(_ indices: [Int], name: String? = nil) -> Dataset {
        let picked = inputs(at: indices).scalars
        // Labels were validated at creation, so the subset is valid by construction.
        return Dataset(
            unchecked: name ?? self.name, sampleShape: sampleShape, samples: picked,
            labels: labels.map { l in indices.map { l[$0] } }, classCount: classCount, classNames: classNames,
            targets: targets.map { _ in self.targets(at: indices).scalars }, targetWidth: targetWidth)
    }

    /// The same samples without labels (the unlabelled split of a semi-supervised problem).
    public func removingLabels(name: String? = nil) -> Dataset {
        Dataset(
            unchecked: name ?? self.name, sampleShape: sampleShape, samples: samples, labels: nil,
            classCount: classCount, classNames: classNames)
    }

    /// The same samples with every sample transformed to `newShape` (e.g. flattening images for an MLP).
    ///
    /// - Throws: ``DataError`` when the element counts differ.
    public func reshapingSamples(to newShape: [Int]) throws(DataError) -> Dataset {
        guard newShape.reduce(1, *) == sampleSize else {
            throw .shapeMismatch(
                source: name, expected: "a shape of \(sampleSize) values to reshape samples of shape \(sampleShape) to",
                found: "\(newShape)")
        }
        return Dataset(
            unchecked: name, sampleShape: newShape, samples: samples, labels: labels, classCount: classCount,
            classNames: classNames, targets: targets, targetWidth: targetWidth)
    }

    init(
        unchecked name: String, sampleShape: [Int], samples: [Float], labels: [Int]?, classCount: Int,
        classNames: [String]? = nil, targets: [Float]? = nil, targetWidth: Int = 0
    ) {
        self.name = name
        self.sampleShape = sampleShape
        self.samples = samples
        self.labels = labels
        self.classCount = classCount
        self.classNames = classNames
        self.targets = targets
        self.targetWidth = targetWidth
    }

    /// How many samples of each class, `[classCount]`.
    ///
    /// - Precondition: the dataset is labelled.
    public func classCounts() -> [Int] {
        guard let labels else { preconditionFailure("\(name) is unlabelled") }
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[label] += 1 }
        return counts
    }
}
