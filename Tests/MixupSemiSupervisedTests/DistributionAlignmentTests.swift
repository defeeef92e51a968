import MixupKit
import Testing

@Suite struct DistributionAlignmentTests {
    static func rows(_ tensor: Tensor) -> [[Float]] {
        let classes = tensor.shape[1]
        return (0..<tensor.shape[0]).map { Array(tensor.scalars[($0 * classes)..<(($0 + 1) * classes)]) }
    }

    /// With momentum 0 the running marginal is the batch's mean guess, so each row becomes q ∝ q × p(y) / mean(q),
    /// computed here by hand.
    @Test func alignsEachRowByTheRatioOfMarginals() throws {
        let alignment = try DistributionAlignment(targetMarginal: [1, 1, 2], momentum: 0)
        let guesses = Tensor(shape: [2, 3], scalars: [0.6, 0.3, 0.1, 0.4, 0.5, 0.1])
        let aligned = try alignment.align(guesses)
        let mean: [Float] = [0.5, 0.4, 0.1]
        let target: [Float] = [0.25, 0.25, 0.5]
        #expect(alignment.runningMarginal.enumerated().allSatisfy { abs($0.element - mean[$0.offset]) < 1e-6 })
        for (row, alignedRow) in zip(Self.rows(guesses), Self.rows(aligned)) {
            let raw = (0..<3).map { row[$0] * target[$0] / mean[$0] }
            let total = raw.reduce(0, +)
            for c in 0..<3 { #expect(abs(alignedRow[c] - raw[c] / total) < 1e-6, "row \(row) class \(c)") }
        }
    }

    /// A model that keeps over-predicting class 0 gets guesses pushed away from it; rows stay distributions, and
    /// the running marginal moves towards the guesses' mean at the set momentum.
    @Test func overPredictedClassesAreDownWeighted() throws {
        let alignment = try DistributionAlignment(uniformOver: 4, momentum: 0.9)
        var generator = SeededGenerator(seed: 3)
        let logits = Tensor.normal([16, 4], using: &generator) + Tensor(shape: [1, 4], scalars: [2, 0, 0, 0])
        let guesses = logits.softmax()
        let rawShare = guesses.mean(alongAxes: [0]).scalars[0]
        var aligned = guesses
        for _ in 0..<50 { aligned = try alignment.align(guesses) }
        #expect(abs(alignment.runningMarginal[0] - rawShare) < 0.01, "after 50 batches p̃ ≈ the mean guess")
        let alignedShare = aligned.mean(alongAxes: [0]).scalars[0]
        #expect(alignedShare < rawShare - 0.1, "class 0: \(rawShare) before, \(alignedShare) after alignment")
        for row in Self.rows(aligned) { #expect(abs(row.reduce(0, +) - 1) < 1e-5) }
        #expect(!aligned.requiresGradient)
    }

    @Test func balancedGuessesAreUnchangedAtTheStart() throws {
        let alignment = try DistributionAlignment(uniformOver: 2, momentum: 0.5)
        let guesses = Tensor(shape: [2, 2], scalars: [0.8, 0.2, 0.2, 0.8])
        let aligned = try alignment.align(guesses)
        for (a, b) in zip(aligned.scalars, guesses.scalars) { #expect(abs(a - b) < 1e-6) }
    }

    @Test func checkpointRoundTripAndBadCheckpointsChangeNothing() throws {
        let alignment = try DistributionAlignment(uniformOver: 3, momentum: 0.5)
        _ = try alignment.align(Tensor(shape: [1, 3], scalars: [0.7, 0.2, 0.1]))
        let saved = alignment.checkpointTensors()
        let restored = try DistributionAlignment(uniformOver: 3, momentum: 0.5)
        try restored.restore(saved)
        #expect(restored.runningMarginal == alignment.runningMarginal)
        let name = try #require(saved.keys.first)
        for bad in [Tensor([0.5, 0.5]), Tensor([0.5, .nan, 0.5])] {
            do {
                try restored.restore([name: bad])
                Issue.record("restored a marginal \(bad.scalars)")
            } catch {
                #expect(error.description.contains("\(bad.shape)"))
            }
            #expect(restored.runningMarginal == alignment.runningMarginal)
        }
        try restored.restore([:])
        #expect(restored.runningMarginal == alignment.runningMarginal, "a checkpoint without alignment state")
    }

    @Test func invalidSettingsNameTheValue() throws {
        for (marginal, momentum, expected) in [
            ([Float](), Float(0.9), "[]"), ([1, -2], 0.9, "-2.0"), ([1, .nan], 0.9, "nan"), ([1, 1], 1, "1.0"),
            ([1, 1], -0.5, "-0.5"),
        ] {
            do {
                _ = try DistributionAlignment(targetMarginal: marginal, momentum: momentum)
                Issue.record("accepted marginal \(marginal), momentum \(momentum)")
            } catch {
                #expect(error.description.contains(expected), "\(error.description)")
            }
        }
        let alignment = try DistributionAlignment(uniformOver: 3)
        do {
            _ = try alignment.align(Tensor(shape: [2, 4], scalars: Array(repeating: 0.25, count: 8)))
            Issue.record("aligned 4 classes with a 3-class marginal")
        } catch {
            #expect(error.description.contains("[2, 4]"))
        }
    }

    /// MixMatch with alignment: guesses are still distributions, differ from unaligned ones once the marginal has
    /// moved, and the running marginal is checkpointed and restored through the objective.
    @Test func mixMatchAlignsAndCheckpointsItsGuesses() throws {
        let noise: @Sendable (Tensor, inout SeededGenerator) -> Tensor = { x, _ in x }
        func objective(_ alignment: DistributionAlignment?) throws -> MixMatchObjective {
            try MixMatchObjective(
                mixing: .erm, temperature: 0.5, unlabelledWeight: RampUp(maximum: 1, length: 1), augmentation: noise,
                distributionAlignment: alignment)
        }
        var generator = SeededGenerator(seed: 8)
        let model = Models.mlp(inputSize: 4, hiddenSizes: [8], classCount: 3, using: &generator)
        let view = Tensor.normal([6, 4], using: &generator) + Tensor(shape: [1, 4], scalars: [3, 0, 0, 0])
        var context = ForwardContext(isTraining: false)
        let plain = try objective(nil).guessLabels(model: model, views: [view], context: &context)
        let aligning = try objective(DistributionAlignment(uniformOver: 3, momentum: 0))
        let aligned = try aligning.guessLabels(model: model, views: [view], context: &context)
        for row in Self.rows(aligned) { #expect(abs(row.reduce(0, +) - 1) < 1e-5) }
        #expect(zip(plain.scalars, aligned.scalars).contains { abs($0 - $1) > 1e-3 })
        let saved = aligning.checkpointTensors()
        #expect(saved.count == 1)
        let resumed = try objective(DistributionAlignment(uniformOver: 3, momentum: 0))
        try resumed.restore(checkpointTensors: saved)
        #expect(resumed.distributionAlignment?.runningMarginal == aligning.distributionAlignment?.runningMarginal)
        #expect(try objective(nil).checkpointTensors().isEmpty)
    }
}
