import MixupTensor
import Testing

/// Central finite-difference gradient check.
///
/// Evaluates `function` (which must return a scalar) at `inputs`, back-propagates, and compares every gradient entry
/// with (f(x + h) − f(x − h)) / 2h computed in Float. Records a test issue at the caller's location for the worst
/// entry when |analytic − numeric| > `absoluteTolerance` + `relativeTolerance`·|numeric|.
/// - Returns: the largest error found, for tests that want to assert more.
@discardableResult
public func expectGradientsMatchFiniteDifferences(
    at inputs: [Tensor],
    step: Float = 1e-2,
    absoluteTolerance: Float = 2e-3,
    relativeTolerance: Float = 2e-2,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ function: ([Tensor]) -> Tensor
) -> Float {
    let (_, analytic) = valueWithGradients(at: inputs, of: function)
    var worst: Float = 0
    var worstDescription = ""
    for (inputIndex, input) in inputs.enumerated() {
        for element in 0..<input.count {
            var plus = input.scalars
            var minus = input.scalars
            plus[element] += step
            minus[element] -= step
            var perturbedPlus = inputs
            var perturbedMinus = inputs
            perturbedPlus[inputIndex] = Tensor(shape: input.shape, scalars: plus)
            perturbedMinus[inputIndex] = Tensor(shape: input.shape, scalars: minus)
            let fPlus = withoutGradients { function(perturbedPlus).scalar }
            let fMinus = withoutGradients { function(perturbedMinus).scalar }
            let numeric = (fPlus - fMinus) / (2 * step)
            let exact = analytic[inputIndex].scalars[element]
            let error = abs(exact - numeric)
            let allowed = absoluteTolerance + relativeTolerance * abs(numeric)
            // A NaN or infinite analytic or numeric value is a failure too (a plain `>` would let NaN through).
            let excess = error.isFinite ? error - allowed : .infinity
            if excess > worst {
                worst = excess
                worstDescription = "input \(inputIndex) element \(element): analytic \(exact), numeric \(numeric)"
            }
        }
    }
    #expect(worst <= 0, "gradient mismatch at \(worstDescription)", sourceLocation: sourceLocation)
    return worst
}

/// Expects two tensors to have the same shape and elementwise |a − b| ≤ tolerance, reporting the worst element.
public func expectClose(
    _ a: Tensor, _ b: Tensor, tolerance: Float = 1e-5, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(a.shape == b.shape, "shapes differ: \(a.shape) vs \(b.shape)", sourceLocation: sourceLocation)
    guard a.shape == b.shape else { return }
    expectClose(a.scalars, b.scalars, tolerance: tolerance, sourceLocation: sourceLocation)
}

/// Expects two arrays to have equal length and elementwise |a − b| ≤ tolerance, reporting the worst element.
public func expectClose(
    _ a: [Float], _ b: [Float], tolerance: Float = 1e-5, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(a.count == b.count, "lengths differ: \(a.count) vs \(b.count)", sourceLocation: sourceLocation)
    var worst: Float = 0
    var worstIndex = -1
    for i in 0..<min(a.count, b.count) {
        // NaN compares false both ways: count it as an infinite difference so a later element cannot hide it
        // (equal infinities match).
        let difference = abs(a[i] - b[i])
        let d: Float = a[i] == b[i] ? 0 : (difference.isNaN ? .infinity : difference)
        if d > worst {
            worst = d
            worstIndex = i
        }
    }
    #expect(
        worst <= tolerance, "largest difference \(worst) at element \(worstIndex) exceeds \(tolerance)",
        sourceLocation: sourceLocation)
}
