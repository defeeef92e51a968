import MixupTensor

/// Per-channel standardization, `(x − mean[c]) / std[c]`, with statistics measured on a training set.
///
/// For image samples `[channels, height, width]` (or any `[channels, …]`) there is one mean and one standard deviation
/// per channel, pooled over every pixel of every sample; for flat samples `[features]` there is one per feature. This
/// is the usual input preprocessing of the CIFAR experiments in the Mixup papers (e.g. Zhang et al., "mixup: Beyond
/// Empirical Risk Minimization", ICLR 2018). Fit it on the training split and apply the same instance to every split.
///
/// ```swift
/// let normalization = try ChannelNormalization(fitting: trainingSet)
/// let normalizedTest = try normalization.apply(to: testSet)
/// ```
public struct ChannelNormalization: Sendable, Equatable {
    /// The mean of each channel (or feature), `[channelCount]`.
    public let means: [Float]
    /// The population standard deviation of each channel, `[channelCount]`; a channel whose values are all equal
    /// (standard deviation 0) is stored as 1, so that it is only centred.
    public let standardDeviations: [Float]

    /// The number of channels (or features) this normalization expects.
    public var channelCount: Int { means.count }

    /// Creates a normalization from known statistics (e.g. the published CIFAR-10 channel means and deviations).
    ///
    /// A standard deviation of exactly 0 is replaced by 1.
    /// - Throws: ``DataError`` when the arrays are empty or differ in length, or a value is not finite or a standard
    ///   deviation is negative.
    public init(means: [Float], standardDeviations: [Float]) throws(DataError) {
        guard !means.isEmpty, means.count == standardDeviations.count else {
            throw .countMismatch(
                source: "ChannelNormalization", what: "standard deviations (one per mean, at least one)",
                expected: max(means.count, 1), found: standardDeviations.count)
        }
        if let bad = means.firstIndex(where: { !$0.isFinite }) {
            throw .invalidArgument(
                source: "ChannelNormalization", name: "mean of channel \(bad)", value: "\(means[bad])",
                reason: "must be finite")
        }
        if let bad = standardDeviations.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw .invalidArgument(
                source: "ChannelNormalization", name: "standard deviation of channel \(bad)",
                value: "\(standardDeviations[bad])", reason: "must be a non-negative finite number")
        }
        self.means = means
        self.standardDeviations = standardDeviations.map { $0 == 0 ? 1 : $0 }
    }

    /// Measures the per-channel mean and population standard deviation of `dataset`.
    ///
    /// The channel axis is the first axis of `dataset.sampleShape`: samples `[channels, height, width]` give
    /// `channels` statistics, samples `[features]` give one per feature. Sums are accumulated in `Double`.
    /// - Throws: ``DataError`` naming the dataset when it is empty or its samples are scalars (`sampleShape == []`).
    public init(fitting dataset: Dataset) throws(DataError) {
        guard let channels = dataset.sampleShape.first else {
            throw .shapeMismatch(
                source: dataset.name, expected: "samples with a channel axis to normalize", found: "scalar samples")
        }
        guard dataset.count > 0 else {
            throw .empty(source: dataset.name, operation: "measuring channel statistics")
        }
        let inner = dataset.sampleSize / channels
        var sums = [Double](repeating: 0, count: channels)
        dataset.samples.withUnsafeBufferPointer { values in
            for sample in 0..<dataset.count {
                for channel in 0..<channels {
                    let start = (sample * channels + channel) * inner
                    var sum = 0.0
                    for i in start..<(start + inner) { sum += Double(values[i]) }
                    sums[channel] += sum
                }
            }
        }
        let perChannel = Double(dataset.count * inner)
        let means = sums.map { $0 / perChannel }
        // Second pass over centred values: numerically safer than E[x²] − E[x]².
        var squares = [Double](repeating: 0, count: channels)
        dataset.samples.withUnsafeBufferPointer { values in
            for sample in 0..<dataset.count {
                for channel in 0..<channels {
                    let start = (sample * channels + channel) * inner
                    let mean = means[channel]
                    var sum = 0.0
                    for i in start..<(start + inner) {
                        let d = Double(values[i]) - mean
                        sum += d * d
                    }
                    squares[channel] += sum
                }
            }
        }
        self.means = means.map { Float($0) }
        self.standardDeviations = squares.map { square in
            let deviation = Float((square / perChannel).squareRoot())
            return deviation > 0 ? deviation : 1
        }
    }

    /// The dataset with every sample normalized; labels, name and shape are kept.
    ///
    /// - Throws: ``DataError`` naming the dataset when the first axis of its `sampleShape` is not ``channelCount``.
    public func apply(to dataset: Dataset) throws(DataError) -> Dataset {
        guard let channels = dataset.sampleShape.first, channels == channelCount else {
            throw .shapeMismatch(
                source: dataset.name, expected: "samples with \(channelCount) channels on their first axis",
                found: "samples of shape \(dataset.sampleShape)")
        }
        let normalized = normalize(dataset.samples, outer: dataset.count, inner: dataset.sampleSize / channels)
        return Dataset(
            unchecked: dataset.name, sampleShape: dataset.sampleShape, samples: normalized, labels: dataset.labels,
            classCount: dataset.classCount, classNames: dataset.classNames)
    }

    /// A normalized copy of a batch tensor `[batch, channels, height, width]` (or `[batch, features]`, or any
    /// `[batch, channels, …]`).
    ///
    /// The result is a constant: it carries no gradient, as befits input preprocessing.
    /// - Throws: ``DataError`` when `batch` has rank below 2 or `batch.shape[1]` is not ``channelCount``.
    public func apply(to batch: Tensor) throws(DataError) -> Tensor {
        guard batch.rank >= 2, batch.shape[1] == channelCount else {
            throw .shapeMismatch(
                source: "ChannelNormalization", expected: "a batch with \(channelCount) channels on axis 1",
                found: "shape \(batch.shape)")
        }
        let inner = batch.shape.dropFirst(2).reduce(1, *)
        return Tensor(shape: batch.shape, scalars: normalize(batch.scalars, outer: batch.shape[0], inner: inner))
    }

    /// Normalizes `outer × channelCount × inner` row-major values.
    private func normalize(_ values: [Float], outer: Int, inner: Int) -> [Float] {
        let channels = channelCount
        let scales = standardDeviations.map { 1 / $0 }
        return [Float](unsafeUninitializedCapacity: values.count) { destination, initialized in
            values.withUnsafeBufferPointer { source in
                for item in 0..<outer {
                    for channel in 0..<channels {
                        let mean = means[channel]
                        let scale = scales[channel]
                        let start = (item * channels + channel) * inner
                        for i in start..<(start + inner) { destination[i] = (source[i] - mean) * scale }
                    }
                }
            }
            initialized = values.count
        }
    }
}
