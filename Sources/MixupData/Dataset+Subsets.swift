import MixupTensor

extension Dataset {
    /// Splits a labelled dataset into a class-balanced labelled part and an unlabelled remainder: the standard
    /// semi-supervised protocol (e.g. CIFAR-10 with 400 labels per class in Verma et al., "Interpolation Consistency
    /// Training for Semi-Supervised Learning", IJCAI 2019; Berthelot et al., "MixMatch", NeurIPS 2019).
    ///
    /// Exactly `labelsPerClass` samples of every class are chosen uniformly at random by `generator`; all other
    /// samples form the unlabelled part, whose ``labels`` is `nil`. Both parts keep this dataset's sample order, are
    /// disjoint, and together contain every sample once. They are named `"<name>-labelled"` and `"<name>-unlabelled"`
    /// and keep ``classCount``.
    ///
    /// - Parameters:
    ///   - labelsPerClass: labelled samples to keep per class; the labelled part has `labelsPerClass × classCount`
    ///     samples.
    ///   - generator: the source of randomness (one permutation of the dataset is drawn).
    /// - Throws: ``DataError`` when this dataset is unlabelled, or naming the first class that has fewer than
    ///   `labelsPerClass` samples.
    /// - Precondition: `labelsPerClass ≥ 0`.
    public func balancedSplit(
        labelsPerClass: Int, using generator: inout some RandomNumberGenerator
    ) throws(DataError) -> (labelled: Dataset, unlabelled: Dataset) {
        precondition(labelsPerClass >= 0, "balancedSplit: labelsPerClass must be non-negative, got \(labelsPerClass)")
        guard let labels else {
            throw .unlabelled(source: name, operation: "a class-balanced split")
        }
        let counts = classCounts()
        if let short = counts.firstIndex(where: { $0 < labelsPerClass }) {
            throw .classTooSmall(source: name, classIndex: short, count: counts[short], required: labelsPerClass)
        }
        var taken = [Int](repeating: 0, count: classCount)
        var isLabelled = [Bool](repeating: false, count: count)
        for index in generator.nextPermutation(count) where taken[labels[index]] < labelsPerClass {
            taken[labels[index]] += 1
            isLabelled[index] = true
        }
        let labelledIndices = (0..<count).filter { isLabelled[$0] }
        let unlabelledIndices = (0..<count).filter { !isLabelled[$0] }
        return (
            labelled: subset(labelledIndices, name: "\(name)-labelled"),
            unlabelled: subset(unlabelledIndices, name: "\(name)-unlabelled").removingLabels()
        )
    }

    /// Randomly splits the dataset in two, e.g. into training and validation sets.
    ///
    /// The samples are shuffled by `generator`; the first `(fraction × count).rounded()` go to `training`, the rest to
    /// `validation`, both in shuffled order. Labels (or their absence) are kept. The split is not stratified. The
    /// parts are named `"<name>-training"` and `"<name>-validation"`.
    ///
    /// - Parameters:
    ///   - fraction: the share of samples in `training`, in [0, 1].
    ///   - generator: the source of randomness (one permutation of the dataset is drawn).
    /// - Precondition: `fraction` ∈ [0, 1].
    public func split(
        fraction: Double, using generator: inout some RandomNumberGenerator
    ) -> (training: Dataset, validation: Dataset) {
        precondition(fraction >= 0 && fraction <= 1, "split(fraction:): fraction must be in [0, 1], got \(fraction)")
        let order = generator.nextPermutation(count)
        let trainingCount = min(count, Int((fraction * Double(count)).rounded()))
        return (
            training: subset(Array(order[..<trainingCount]), name: "\(name)-training"),
            validation: subset(Array(order[trainingCount...]), name: "\(name)-validation")
        )
    }

    /// Randomly splits a labelled dataset in two with the class proportions kept in both parts (a stratified split), e.g.
    /// into training and test sets.
    ///
    /// One permutation of the dataset is drawn from `generator`; walking it, each sample goes to `training` while its
    /// class has fewer than `(fraction × classSize).rounded()` there, else to `validation`. So every class is split in
    /// the same proportion (up to rounding per class), both parts are in shuffled order, disjoint, and together hold
    /// every sample once. The parts are named `"<name>-training"` and `"<name>-validation"` and keep ``classCount``
    /// and ``classNames``.
    ///
    /// - Parameters:
    ///   - fraction: the share of each class in `training`, in [0, 1].
    ///   - generator: the source of randomness (one permutation of the dataset is drawn).
    /// - Throws: ``DataError/unlabelled(source:operation:)`` for an unlabelled dataset,
    ///   ``DataError/invalidArgument(source:name:value:reason:)`` naming `fraction` if it is outside [0, 1].
    public func stratifiedSplit(
        fraction: Double, using generator: inout some RandomNumberGenerator
    ) throws(DataError) -> (training: Dataset, validation: Dataset) {
        guard fraction >= 0, fraction <= 1 else {
            throw .invalidArgument(source: name, name: "fraction", value: "\(fraction)", reason: "must be in [0, 1]")
        }
        guard let labels else { throw .unlabelled(source: name, operation: "a stratified split") }
        let targets = classCounts().map { min($0, Int((fraction * Double($0)).rounded())) }
        var taken = [Int](repeating: 0, count: classCount)
        var training: [Int] = []
        var validation: [Int] = []
        for index in generator.nextPermutation(count) {
            let label = labels[index]
            if taken[label] < targets[label] {
                taken[label] += 1
                training.append(index)
            } else {
                validation.append(index)
            }
        }
        return (
            training: subset(training, name: "\(name)-training"),
            validation: subset(validation, name: "\(name)-validation")
        )
    }

    /// The same samples (and labels) in a random order drawn from `generator`.
    public func shuffled(using generator: inout some RandomNumberGenerator) -> Dataset {
        subset(generator.nextPermutation(count))
    }
}
