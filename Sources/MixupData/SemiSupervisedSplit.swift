import MixupTensor

/// The data of a semi-supervised problem: a few labelled samples, many unlabelled ones, and optionally a labelled test
/// set; the input of the mixup-based semi-supervised pipelines (ICT, MixMatch).
///
/// The initializer checks the invariants the pipelines rely on: the labelled and test sets carry labels, the
/// unlabelled set does not (so its labels cannot leak into training), and all three agree on sample shape and class
/// count.
///
/// ```swift
/// let data = try SemiSupervisedSplit(balancing: cifarTrain, labelsPerClass: 400, test: cifarTest, using: &generator)
/// ```
public struct SemiSupervisedSplit: Sendable {
    /// The labelled training samples.
    public let labelled: Dataset
    /// The unlabelled training samples; `unlabelled.labels` is `nil`.
    public let unlabelled: Dataset
    /// A labelled held-out set for evaluation, if any.
    public let test: Dataset?

    /// Creates a split from already separated datasets.
    ///
    /// - Throws: ``DataError`` naming the offending dataset when `labelled` or `test` has no labels, `unlabelled` has
    ///   labels (remove them with ``Dataset/removingLabels(name:)``), or the sample shapes or class counts differ.
    public init(labelled: Dataset, unlabelled: Dataset, test: Dataset? = nil) throws(DataError) {
        guard labelled.isLabelled else {
            throw .unlabelled(source: labelled.name, operation: "the labelled part of a semi-supervised split")
        }
        guard !unlabelled.isLabelled else {
            throw .unexpectedLabels(
                source: unlabelled.name, operation: "the unlabelled part of a semi-supervised split")
        }
        for other in [unlabelled] + (test.map { [$0] } ?? []) {
            guard other.sampleShape == labelled.sampleShape else {
                throw .shapeMismatch(
                    source: other.name, expected: "samples of shape \(labelled.sampleShape) as in \(labelled.name)",
                    found: "\(other.sampleShape)")
            }
            guard other.classCount == labelled.classCount else {
                throw .countMismatch(
                    source: other.name, what: "classes (as in \(labelled.name))", expected: labelled.classCount,
                    found: other.classCount)
            }
        }
        if let test, !test.isLabelled {
            throw .unlabelled(source: test.name, operation: "the test set of a semi-supervised split")
        }
        self.labelled = labelled
        self.unlabelled = unlabelled
        self.test = test
    }

    /// Creates a split by keeping `labelsPerClass` labelled samples of each class of `dataset` and removing the labels
    /// of the rest; see ``Dataset/balancedSplit(labelsPerClass:using:)``.
    ///
    /// - Throws: ``DataError`` when `dataset` is unlabelled, a class has fewer than `labelsPerClass` samples, or
    ///   `test` does not match (see ``init(labelled:unlabelled:test:)``).
    /// - Precondition: `labelsPerClass ≥ 0`.
    public init(
        balancing dataset: Dataset, labelsPerClass: Int, test: Dataset? = nil,
        using generator: inout some RandomNumberGenerator
    ) throws(DataError) {
        let parts = try dataset.balancedSplit(labelsPerClass: labelsPerClass, using: &generator)
        try self.init(labelled: parts.labelled, unlabelled: parts.unlabelled, test: test)
    }
}
