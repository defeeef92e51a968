import MixupKit
import Testing

// Shared helpers for the mixing tests (not a test suite of its own).

/// A `[shape]` batch of uniform values in [-1, 1), reproducible from `seed`.
func randomBatch(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, lower: -1, upper: 1, using: &generator)
}

/// `[batch, classes]` one-hot rows with random labels, reproducible from `seed`.
func randomOneHot(batch: Int, classes: Int, seed: UInt64) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return .oneHot((0..<batch).map { _ in generator.nextIndex(below: classes) }, classCount: classes)
}

/// `[batch, channels, height, width]` where every element of sample `i` equals `i + 1`.
func constantBatch(batch: Int, channels: Int, height: Int, width: Int) -> Tensor {
    let perSample = channels * height * width
    return Tensor(
        shape: [batch, channels, height, width],
        scalars: (0..<batch).flatMap { i in [Float](repeating: Float(i + 1), count: perSample) })
}

/// Draws a plan with a fresh `SeededGenerator(seed:)`.
func drawPlan(
    _ strategy: some MixingStrategy, batch: Int, sampleShape: [Int], seed: UInt64
) throws -> MixPlan {
    var generator = SeededGenerator(seed: seed)
    return try strategy.plan(batchSize: batch, sampleShape: sampleShape, using: &generator)
}

/// Expects `body` to throw a ``MixingError`` whose description contains `fragment`.
func expectMixingError(
    containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record(
            "expected a MixingError mentioning \"\(fragment)\", nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as MixingError {
        #expect(
            error.description.contains(fragment), "\"\(error.description)\" does not mention \"\(fragment)\"",
            sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a MixingError, got \(error)", sourceLocation: sourceLocation)
    }
}

/// Expects `body` to throw a ``MixingError`` of the family `matches` accepts.
func expectMixingError(
    matching matches: (MixingError) -> Bool, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected a MixingError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as MixingError {
        #expect(matches(error), "unexpected MixingError case: \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a MixingError, got \(error)", sourceLocation: sourceLocation)
    }
}

/// The options a (possibly nested) ``SwitchingStrategy`` chose for `plan`, outermost first.
func routeOf(_ plan: MixPlan) -> [Int] {
    var route: [Int] = []
    var payload = plan.payload
    while let choice = payload as? SwitchingStrategy.Choice {
        route.append(choice.option)
        payload = choice.inner
    }
    return route
}

/// Checks the label side of a plan: weights in [0, 1], interpolated one-hot targets are rows of probabilities that
/// sum to 1 and equal w·y + (1 − w)·y_partner.
func expectValidTargets(
    _ plan: MixPlan, classes: Int = 5, seed: UInt64 = 99, sourceLocation: SourceLocation = #_sourceLocation
)
    throws
{
    #expect(plan.labelWeights.count == plan.batchSize, sourceLocation: sourceLocation)
    #expect(plan.labelWeights.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(plan.labelWeights)", sourceLocation: sourceLocation)
    #expect(plan.partners.allSatisfy { (0..<plan.batchSize).contains($0) }, sourceLocation: sourceLocation)
    let labels = randomOneHot(batch: plan.batchSize, classes: classes, seed: seed)
    let targets = try InterpolatedLabels().targets(for: plan, labels: labels)
    #expect(targets.soft.shape == [plan.batchSize, classes], sourceLocation: sourceLocation)
    for i in 0..<plan.batchSize {
        let row = Array(targets.soft.scalars[(i * classes)..<((i + 1) * classes)])
        #expect(
            abs(row.reduce(0, +) - 1) <= 1e-6, "row \(i) sums to \(row.reduce(0, +))", sourceLocation: sourceLocation)
        #expect(row.allSatisfy { $0 >= 0 && $0 <= 1 }, sourceLocation: sourceLocation)
        let w = plan.labelWeights[i]
        let j = plan.partners[i]
        for c in 0..<classes {
            let expected = w * labels[i, c] + (1 - w) * labels[j, c]
            #expect(abs(row[c] - expected) <= 1e-6, sourceLocation: sourceLocation)
        }
    }
}

/// The mask of a mask plan, or `nil` for per-sample plans.
func maskOf(_ plan: MixPlan) -> (height: Int, width: Int, values: [Float])? {
    if case .mask(let h, let w, let values) = plan.weights { return (h, w, values) }
    return nil
}

/// For a mask plan: the mask is binary and `labelWeights[i]` is exactly the fraction of sample `i`'s own pixels
/// (1 for a sample that is its own partner).
func expectLabelWeightsMatchMask(_ plan: MixPlan, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let (h, w, values) = maskOf(plan) else {
        Issue.record("expected a mask plan, got \(plan.weights)", sourceLocation: sourceLocation)
        return
    }
    #expect(values.allSatisfy { $0 == 0 || $0 == 1 }, "mask is not binary", sourceLocation: sourceLocation)
    let pixels = h * w
    for i in 0..<plan.batchSize {
        let own = values[(i * pixels)..<((i + 1) * pixels)].filter { $0 == 1 }.count
        let expected: Float = plan.partners[i] == i ? 1 : Float(own) / Float(pixels)
        #expect(
            plan.labelWeights[i] == expected,
            "sample \(i): label weight \(plan.labelWeights[i]), mask keeps \(expected)",
            sourceLocation: sourceLocation)
        if plan.partners[i] == i {
            #expect(
                own == pixels, "sample \(i) is its own partner but its mask is not all ones",
                sourceLocation: sourceLocation)
        }
    }
}

/// Mixes a batch where sample `i` is the constant `i + 1` and checks, on the data, that the pixels still equal to
/// `i + 1` are exactly the mask's ones and that their fraction is exactly `labelWeights[i]`.
func expectLabelWeightsMatchData(
    _ strategy: some MixingStrategy, _ plan: MixPlan, channels: Int, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    guard let (h, w, mask) = maskOf(plan) else {
        Issue.record("expected a mask plan", sourceLocation: sourceLocation)
        return
    }
    let x = constantBatch(batch: plan.batchSize, channels: channels, height: h, width: w)
    let mixed = try strategy.apply(plan, to: x)
    #expect(mixed.shape == x.shape, sourceLocation: sourceLocation)
    let perSample = channels * h * w
    for i in 0..<plan.batchSize {
        let own = Float(i + 1)
        var kept = 0
        var agreesWithMask = true
        for c in 0..<channels {
            for p in 0..<(h * w) {
                let value = mixed.scalars[i * perSample + c * h * w + p]
                let isOwn = abs(value - own) < 0.25
                if isOwn { kept += 1 }
                if plan.partners[i] != i && isOwn != (mask[i * h * w + p] == 1) { agreesWithMask = false }
                if !isOwn {
                    let partnerValue = Float(plan.partners[i] + 1)
                    if abs(value - partnerValue) > 1e-4 { agreesWithMask = false }
                }
            }
        }
        #expect(agreesWithMask, "sample \(i): mixed pixels disagree with the mask", sourceLocation: sourceLocation)
        let fraction = Float(kept) / Float(perSample)
        #expect(
            fraction == plan.labelWeights[i],
            "sample \(i): \(fraction) of pixels kept, label weight \(plan.labelWeights[i])",
            sourceLocation: sourceLocation)
    }
}

/// Same seed ⇒ same plan and same output; different seeds ⇒ different plans.
func expectDeterministic(
    _ strategy: some MixingStrategy, sampleShape: [Int], batch: Int = 8,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let x = randomBatch([batch] + sampleShape, seed: 5)
    let a = try drawPlan(strategy, batch: batch, sampleShape: sampleShape, seed: 11)
    let b = try drawPlan(strategy, batch: batch, sampleShape: sampleShape, seed: 11)
    #expect(a == b, sourceLocation: sourceLocation)
    #expect(try strategy.apply(a, to: x).scalars == strategy.apply(b, to: x).scalars, sourceLocation: sourceLocation)
    for seed: UInt64 in [12, 13, 14] {
        let other = try drawPlan(strategy, batch: batch, sampleShape: sampleShape, seed: seed)
        #expect(other != a, "seeds 11 and \(seed) drew the same plan", sourceLocation: sourceLocation)
    }
}

/// Batch of one: the sample is its own partner and the output equals the input exactly.
func expectSingleSampleUnchanged(
    _ strategy: some MixingStrategy, sampleShape: [Int], sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let x = randomBatch([1] + sampleShape, seed: 21)
    for seed: UInt64 in 0..<5 {
        let plan = try drawPlan(strategy, batch: 1, sampleShape: sampleShape, seed: seed)
        #expect(plan.partners == [0], sourceLocation: sourceLocation)
        #expect(plan.labelWeights == [1], sourceLocation: sourceLocation)
        let mixed = try strategy.apply(plan, to: x)
        #expect(mixed.shape == x.shape, sourceLocation: sourceLocation)
        #expect(mixed.scalars == x.scalars, "batch of one changed by \(strategy.name)", sourceLocation: sourceLocation)
    }
}

/// Samples paired with themselves come out unchanged (bit for bit).
func expectSelfPairedRowsUnchanged(
    _ plan: MixPlan, input: Tensor, output: Tensor, sourceLocation: SourceLocation = #_sourceLocation
) {
    let size = input.count / max(plan.batchSize, 1)
    for i in 0..<plan.batchSize where plan.partners[i] == i {
        #expect(
            Array(output.scalars[(i * size)..<((i + 1) * size)]) == Array(input.scalars[(i * size)..<((i + 1) * size)]),
            "sample \(i) is its own partner but changed", sourceLocation: sourceLocation)
    }
}
