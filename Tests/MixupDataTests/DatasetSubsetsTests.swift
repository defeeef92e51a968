import MixupData
import MixupTensor
import Testing

/// 3 classes with 10, 7 and 5 samples; sample `i` is the single value `i`, so values identify samples.
private func unevenClasses() throws -> Dataset {
    let labels = [Int](repeating: 0, count: 10) + [Int](repeating: 1, count: 7) + [Int](repeating: 2, count: 5)
    var generator = SeededGenerator(seed: 99)
    var shuffled = labels
    generator.shuffle(&shuffled)
    return try Dataset(
        name: "uneven", sampleShape: [1], samples: (0..<22).map(Float.init), labels: shuffled, classCount: 3)
}

@Test func balancedSplitHasExactCountsAndUnlabelledRest() throws {
    let data = try unevenClasses()
    var generator = SeededGenerator(seed: 1)
    let (labelled, unlabelled) = try data.balancedSplit(labelsPerClass: 4, using: &generator)
    #expect(labelled.classCounts() == [4, 4, 4])
    #expect(labelled.count == 12)
    #expect(unlabelled.count == 10)
    #expect(unlabelled.labels == nil)
    #expect(labelled.name == "uneven-labelled")
    #expect(unlabelled.name == "uneven-unlabelled")
    // Labelled samples keep their original labels.
    let labels = try #require(data.labels)
    let kept = try #require(labelled.labels)
    for (value, label) in zip(labelled.samples, kept) { #expect(labels[Int(value)] == label) }
}

@Test func balancedSplitIsDisjointAndComplete() throws {
    let data = try unevenClasses()
    var generator = SeededGenerator(seed: 2)
    let (labelled, unlabelled) = try data.balancedSplit(labelsPerClass: 5, using: &generator)
    let labelledValues = Set(labelled.samples)
    let unlabelledValues = Set(unlabelled.samples)
    #expect(labelledValues.isDisjoint(with: unlabelledValues))
    #expect(labelledValues.union(unlabelledValues) == Set(data.samples))
    #expect(labelled.count + unlabelled.count == data.count)
}

@Test func balancedSplitIsDeterministicForASeed() throws {
    let data = try unevenClasses()
    var first = SeededGenerator(seed: 3)
    var second = SeededGenerator(seed: 3)
    let a = try data.balancedSplit(labelsPerClass: 3, using: &first)
    let b = try data.balancedSplit(labelsPerClass: 3, using: &second)
    #expect(a.labelled.samples == b.labelled.samples)
    #expect(a.unlabelled.samples == b.unlabelled.samples)
    let differentSeeds = (4..<10).contains { seed in
        var other = SeededGenerator(seed: UInt64(seed))
        let c = try? data.balancedSplit(labelsPerClass: 3, using: &other)
        return c?.labelled.samples != a.labelled.samples
    }
    #expect(differentSeeds)
}

@Test func balancedSplitThrowsNamingTheShortClass() throws {
    let data = try unevenClasses()
    var generator = SeededGenerator(seed: 1)
    let error = #expect(throws: DataError.self) { try data.balancedSplit(labelsPerClass: 6, using: &generator) }
    #expect(error?.description.contains("class 2") == true)
    #expect(error?.description.contains("uneven") == true)
    #expect(throws: DataError.self) {
        try data.removingLabels().balancedSplit(labelsPerClass: 1, using: &generator)
    }
    // Exactly as many as the smallest class is fine: that class is then fully labelled.
    let (labelled, _) = try data.balancedSplit(labelsPerClass: 5, using: &generator)
    #expect(labelled.classCounts() == [5, 5, 5])
}

@Test func splitByFractionPartitionsTheData() throws {
    let data = try unevenClasses()
    var generator = SeededGenerator(seed: 5)
    let (training, validation) = data.split(fraction: 0.8, using: &generator)
    #expect(training.count == 18)
    #expect(validation.count == 4)
    #expect(Set(training.samples).isDisjoint(with: Set(validation.samples)))
    #expect(Set(training.samples).union(Set(validation.samples)) == Set(data.samples))
    let labels = try #require(data.labels)
    for (value, label) in zip(training.samples, try #require(training.labels)) { #expect(labels[Int(value)] == label) }

    var again = SeededGenerator(seed: 5)
    #expect(data.split(fraction: 0.8, using: &again).training.samples == training.samples)
    #expect(data.split(fraction: 0, using: &generator).training.count == 0)
    #expect(data.split(fraction: 1, using: &generator).validation.count == 0)
}

@Test func shuffledIsADeterministicPermutation() throws {
    let data = try unevenClasses()
    var first = SeededGenerator(seed: 6)
    var second = SeededGenerator(seed: 6)
    let a = data.shuffled(using: &first)
    let b = data.shuffled(using: &second)
    #expect(a.samples == b.samples)
    #expect(a.samples != data.samples)
    #expect(a.samples.sorted() == data.samples)
    let labels = try #require(data.labels)
    for (value, label) in zip(a.samples, try #require(a.labels)) { #expect(labels[Int(value)] == label) }
}

@Test func semiSupervisedSplitValidatesItsParts() throws {
    let data = try unevenClasses()
    var generator = SeededGenerator(seed: 7)
    let split = try SemiSupervisedSplit(balancing: data, labelsPerClass: 2, test: data, using: &generator)
    #expect(split.labelled.classCounts() == [2, 2, 2])
    #expect(split.unlabelled.labels == nil)
    #expect(split.test?.count == 22)

    #expect(throws: DataError.self) { try SemiSupervisedSplit(labelled: data, unlabelled: data) }
    #expect(throws: DataError.self) {
        try SemiSupervisedSplit(labelled: data.removingLabels(), unlabelled: data.removingLabels())
    }
    let flat = try Dataset(name: "other", sampleShape: [2], samples: [0, 1], labels: nil, classCount: 3)
    let error = #expect(throws: DataError.self) { try SemiSupervisedSplit(labelled: data, unlabelled: flat) }
    #expect(error?.description.contains("other") == true)
    #expect(throws: DataError.self) {
        try SemiSupervisedSplit(labelled: data, unlabelled: data.removingLabels(), test: data.removingLabels())
    }
}

@Test func stratifiedSplitKeepsClassProportionsInBothParts() throws {
    let data = try unevenClasses()  // 10, 7 and 5 samples
    var generator = SeededGenerator(seed: 5)
    let (training, validation) = try data.stratifiedSplit(fraction: 0.6, using: &generator)
    #expect(training.classCounts() == [6, 4, 3])  // (0.6 × 10, 0.6 × 7, 0.6 × 5) rounded
    #expect(validation.classCounts() == [4, 3, 2])
    #expect(training.name == "uneven-training" && validation.name == "uneven-validation")
    // Disjoint and complete: sample values identify samples.
    #expect((training.samples + validation.samples).sorted() == data.samples.sorted())
    // Each sample keeps its label.
    for part in [training, validation] {
        for (index, value) in part.samples.enumerated() {
            #expect(part.labels?[index] == data.labels?[Int(value)])
        }
    }
    // Same seed, same split; another seed, another one.
    var again = SeededGenerator(seed: 5)
    #expect(try data.stratifiedSplit(fraction: 0.6, using: &again).training.samples == training.samples)
    var other = SeededGenerator(seed: 6)
    #expect(try data.stratifiedSplit(fraction: 0.6, using: &other).training.samples != training.samples)
    // Edges.
    #expect(try data.stratifiedSplit(fraction: 0, using: &generator).training.count == 0)
    #expect(try data.stratifiedSplit(fraction: 1, using: &generator).validation.count == 0)
}

@Test func stratifiedSplitRejectsBadInputNamingTheValue() throws {
    let data = try unevenClasses()
    var generator = SeededGenerator(seed: 1)
    let error = #expect(throws: DataError.self) { try data.stratifiedSplit(fraction: 1.5, using: &generator) }
    #expect(error == .invalidArgument(source: "uneven", name: "fraction", value: "1.5", reason: "must be in [0, 1]"))
    let unlabelled = #expect(throws: DataError.self) {
        try data.removingLabels().stratifiedSplit(fraction: 0.5, using: &generator)
    }
    #expect(unlabelled == .unlabelled(source: "uneven", operation: "a stratified split"))
}
