import MixupData
import MixupTensor
import Testing
import _MixupTestSupport

/// Two 2-channel 1×2 images: channel 0 holds 1, 2, 3, 4; channel 1 is constant 5.
private func tinyImages() throws -> Dataset {
    try Dataset(
        name: "tiny", sampleShape: [2, 1, 2], samples: [1, 2, 5, 5, 3, 4, 5, 5], labels: [0, 1], classCount: 2)
}

@Test func fitsPerChannelMeanAndStandardDeviation() throws {
    let normalization = try ChannelNormalization(fitting: tinyImages())
    #expect(normalization.channelCount == 2)
    expectClose(normalization.means, [2.5, 5])
    // Population deviation of 1, 2, 3, 4 is √1.25; the constant channel's 0 becomes 1.
    expectClose(normalization.standardDeviations, [Float(1.25).squareRoot(), 1])
}

@Test func appliesToDatasetKeepingLabels() throws {
    let data = try tinyImages()
    let normalization = try ChannelNormalization(fitting: data)
    let normalized = try normalization.apply(to: data)
    #expect(normalized.sampleShape == data.sampleShape)
    #expect(normalized.labels == data.labels)
    #expect(normalized.name == data.name)
    let s = Float(1.25).squareRoot()
    expectClose(normalized.samples, [-1.5 / s, -0.5 / s, 0, 0, 0.5 / s, 1.5 / s, 0, 0])
    // The normalized data has zero mean and unit deviation in the varying channel.
    let refit = try ChannelNormalization(fitting: normalized)
    expectClose(refit.means, [0, 0])
    expectClose(refit.standardDeviations, [1, 1], tolerance: 1e-4)
}

@Test func appliesToBatchTensorLikeToDataset() throws {
    let data = try tinyImages()
    let normalization = try ChannelNormalization(fitting: data)
    let batch = try normalization.apply(to: data.inputs(at: [1, 0]))
    let expected = try normalization.apply(to: data).inputs(at: [1, 0])
    expectClose(batch, expected)
}

@Test func fitsPerFeatureForFlatSamples() throws {
    let data = try Dataset(name: "flat", sampleShape: [3], samples: [0, 10, 7, 2, 20, 7], labels: nil, classCount: 1)
    let normalization = try ChannelNormalization(fitting: data)
    expectClose(normalization.means, [1, 15, 7])
    expectClose(normalization.standardDeviations, [1, 5, 1])
    let batch = try normalization.apply(to: Tensor(shape: [1, 3], scalars: [3, 5, 8]))
    expectClose(batch, Tensor(shape: [1, 3], scalars: [2, -2, 1]))
}

@Test func channelMismatchThrowsNamingShapes() throws {
    let normalization = try ChannelNormalization(fitting: tinyImages())
    let rgb = try Dataset(
        name: "rgb", sampleShape: [3, 1, 1], samples: [1, 2, 3], labels: nil, classCount: 1)
    let datasetError = #expect(throws: DataError.self) { try normalization.apply(to: rgb) }
    #expect(datasetError?.description.contains("rgb") == true)
    #expect(datasetError?.description.contains("[3, 1, 1]") == true)
    let tensorError = #expect(throws: DataError.self) {
        try normalization.apply(to: Tensor.zeros([4, 3, 2, 2]))
    }
    #expect(tensorError?.description.contains("[4, 3, 2, 2]") == true)
    #expect(throws: DataError.self) { try normalization.apply(to: Tensor.zeros([2])) }
}

@Test func explicitStatisticsAreValidated() throws {
    let normalization = try ChannelNormalization(means: [0.5, 0.5], standardDeviations: [0.25, 0])
    #expect(normalization.standardDeviations == [0.25, 1])
    #expect(throws: DataError.self) { try ChannelNormalization(means: [0], standardDeviations: [1, 1]) }
    #expect(throws: DataError.self) { try ChannelNormalization(means: [0], standardDeviations: [-1]) }
    #expect(throws: DataError.self) { try ChannelNormalization(means: [], standardDeviations: []) }
    let empty = try Dataset(name: "empty", sampleShape: [2], samples: [], labels: nil, classCount: 1)
    let error = #expect(throws: DataError.self) { try ChannelNormalization(fitting: empty) }
    #expect(error?.description.contains("empty") == true)
}
