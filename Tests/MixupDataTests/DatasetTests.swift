import MixupData
import MixupTensor
import Testing

private func sixPoints() throws -> Dataset {
    try Dataset(
        name: "six", sampleShape: [2], samples: (0..<12).map(Float.init), labels: [0, 1, 2, 0, 1, 2], classCount: 3)
}

@Test func initRejectsBadDataNamingTheValue() {
    let ragged = #expect(throws: DataError.self) {
        try Dataset(name: "ragged", sampleShape: [2, 2], samples: [1, 2, 3], labels: nil, classCount: 1)
    }
    #expect(ragged?.description.contains("ragged") == true)
    #expect(ragged?.description.contains("[2, 2]") == true)

    let miscounted = #expect(throws: DataError.self) {
        try Dataset(name: "miscounted", sampleShape: [1], samples: [1, 2], labels: [0], classCount: 2)
    }
    #expect(miscounted?.description.contains("1 labels for 2 samples") == true)

    let outOfRange = #expect(throws: DataError.self) {
        try Dataset(name: "range", sampleShape: [1], samples: [1, 2], labels: [0, 7], classCount: 2)
    }
    #expect(outOfRange?.description.contains("label 7 at index 1") == true)

    #expect(throws: DataError.self) {
        try Dataset(name: "negative", sampleShape: [1], samples: [1], labels: [-1], classCount: 2)
    }
    #expect(throws: DataError.self) {
        try Dataset(name: "empty-shape", sampleShape: [0], samples: [], labels: nil, classCount: 1)
    }
}

@Test func countsAndSizes() throws {
    let data = try sixPoints()
    #expect(data.count == 6)
    #expect(data.sampleSize == 2)
    #expect(data.isLabelled)
    #expect(data.classCounts() == [2, 2, 2])
}

@Test func inputsAtIndicesGathersRowsInOrder() throws {
    let data = try sixPoints()
    let inputs = data.inputs(at: [4, 0, 4])
    #expect(inputs.shape == [3, 2])
    #expect(inputs.scalars == [8, 9, 0, 1, 8, 9])
    #expect(data.labels(at: [4, 0]) == [1, 0])
    #expect(data.inputs(at: []).shape == [0, 2])
}

@Test func subsetKeepsLabelsAndRenames() throws {
    let data = try sixPoints()
    let picked = data.subset([5, 1], name: "picked")
    #expect(picked.name == "picked")
    #expect(picked.samples == [10, 11, 2, 3])
    #expect(picked.labels == [2, 1])
    #expect(picked.classCount == 3)
    #expect(data.subset([0]).name == "six")
}

@Test func removingLabelsKeepsSamples() throws {
    let data = try sixPoints()
    let unlabelled = data.removingLabels(name: "pool")
    #expect(unlabelled.labels == nil)
    #expect(!unlabelled.isLabelled)
    #expect(unlabelled.samples == data.samples)
    #expect(unlabelled.name == "pool")
    #expect(unlabelled.subset([1]).labels == nil)
}

@Test func reshapingSamplesChecksElementCount() throws {
    let images = try Dataset(
        name: "images", sampleShape: [1, 2, 2], samples: (0..<8).map(Float.init), labels: [0, 1], classCount: 2)
    let flat = try images.reshapingSamples(to: [4])
    #expect(flat.sampleShape == [4])
    #expect(flat.samples == images.samples)
    #expect(flat.labels == images.labels)
    #expect(flat.inputs(at: [1]).shape == [1, 4])
    let error = #expect(throws: DataError.self) { try images.reshapingSamples(to: [3]) }
    #expect(error?.description.contains("images") == true)
}

@Test func regressionDatasetsCarryTheirTargetsThroughSubsetsAndSplits() throws {
    let data = try Dataset(
        name: "line", sampleShape: [1], samples: [0, 1, 2, 3, 4], targets: [0, 1, 10, 11, 20, 21, 30, 31, 40, 41],
        targetWidth: 2)
    #expect(data.isRegression && !data.isLabelled && data.classCount == 0 && data.targetWidth == 2)
    #expect(data.targets(at: [3, 0]).scalars == [30, 31, 0, 1] && data.targets(at: [3, 0]).shape == [2, 2])
    let picked = data.subset([4, 1])
    #expect(picked.samples == [4, 1] && picked.targets == [40, 41, 10, 11] && picked.targetWidth == 2)
    var generator = SeededGenerator(seed: 3)
    let parts = data.split(fraction: 0.6, using: &generator)
    for part in [parts.training, parts.validation] {
        for row in 0..<part.count {
            let index = Int(part.samples[row])
            #expect(part.targets(at: [row]).scalars == data.targets(at: [index]).scalars)
        }
    }
    #expect(data.removingLabels().targets == nil)
    let short = #expect(throws: DataError.self) {
        try Dataset(name: "short", sampleShape: [1], samples: [1, 2], targets: [1])
    }
    #expect(short?.description.contains("short") == true)
    let nan = #expect(throws: DataError.self) {
        try Dataset(name: "nan", sampleShape: [1], samples: [1, 2], targets: [1, .nan])
    }
    #expect(nan?.description.contains("nan") == true)
}
