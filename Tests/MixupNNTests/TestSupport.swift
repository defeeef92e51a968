import Foundation
import MixupNN
import MixupTensor
import Testing
import _MixupTestSupport

// Shared helpers for the MixupNN tests (finite-difference checks of layer parameters, fixed data).

/// A tensor of independent standard-normal draws from a fixed seed.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.normal(shape, standardDeviation: scale, using: &generator)
}

/// A tensor whose elements are a shuffled, evenly spaced grid (distinct values `spacing` apart, centred on 0), so
/// that max pooling and ReLU have no near-ties for a finite-difference step smaller than `spacing / 2`.
func distinctTensor(_ shape: [Int], seed: UInt64, spacing: Float = 0.1) -> Tensor {
    let count = shape.reduce(1, *)
    var generator = SeededGenerator(seed: seed)
    let order = generator.nextPermutation(count)
    let scalars = order.map { (Float($0) - Float(count - 1) / 2) * spacing }
    return Tensor(shape: shape, scalars: scalars)
}

/// A scalar that depends on every output element with a different weight: Σ output ⊙ projection.
///
/// Plain `sum()` would hide errors (e.g. batch norm's output sums to a constant).
func projected(_ output: Tensor, seed: UInt64 = 99) -> Tensor {
    (output * randomTensor(output.shape, seed: seed)).sum()
}

/// Checks the gradients that `loss` accumulates into `parameters` by `backward()` against central differences of
/// `loss` with respect to each parameter's value.
///
/// `loss` must be deterministic (build a fresh `ForwardContext` inside it).
func expectParameterGradientsMatchFiniteDifferences(
    _ parameters: [Parameter],
    step: Float = 1e-2,
    absoluteTolerance: Float = 2e-3,
    relativeTolerance: Float = 2e-2,
    sourceLocation: SourceLocation = #_sourceLocation,
    loss: () -> Tensor
) {
    for parameter in parameters { parameter.zeroGradient() }
    loss().backward()
    for parameter in parameters {
        let analytic = parameter.gradient ?? Tensor.zeros(parameter.value.shape)
        #expect(analytic.shape == parameter.value.shape, sourceLocation: sourceLocation)
        let original = parameter.value
        var worst: Float = 0
        var worstDescription = ""
        for element in 0..<original.count {
            var plus = original.scalars
            var minus = original.scalars
            plus[element] += step
            minus[element] -= step
            parameter.value = Tensor(shape: original.shape, scalars: plus)
            let fPlus = withoutGradients { loss().scalar }
            parameter.value = Tensor(shape: original.shape, scalars: minus)
            let fMinus = withoutGradients { loss().scalar }
            parameter.value = original
            let numeric = (fPlus - fMinus) / (2 * step)
            let exact = analytic.scalars[element]
            let excess = abs(exact - numeric) - (absoluteTolerance + relativeTolerance * abs(numeric))
            if excess > worst {
                worst = excess
                worstDescription = "element \(element): analytic \(exact), numeric \(numeric)"
            }
        }
        #expect(
            worst <= 0, "parameter \"\(parameter.name)\" gradient mismatch at \(worstDescription)",
            sourceLocation: sourceLocation)
        parameter.zeroGradient()
    }
}

/// Checks a layer's gradients with respect to its input and to all of its parameters, through the loss
/// Σ layer(input) ⊙ R for a fixed random R. Each evaluation uses a fresh context with the same seed.
func expectLayerGradientsMatchFiniteDifferences(
    _ layer: some Layer,
    input: Tensor,
    isTraining: Bool = false,
    step: Float = 1e-2,
    absoluteTolerance: Float = 2e-3,
    relativeTolerance: Float = 2e-2,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    func run(_ x: Tensor) -> Tensor {
        var context = ForwardContext(isTraining: isTraining, generator: SeededGenerator(seed: 7))
        return projected(layer(x, context: &context))
    }
    expectGradientsMatchFiniteDifferences(
        at: [input], step: step, absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance,
        sourceLocation: sourceLocation
    ) { run($0[0]) }
    expectParameterGradientsMatchFiniteDifferences(
        layer.allParameters, step: step, absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance,
        sourceLocation: sourceLocation
    ) { run(input) }
}

/// A least-squares regression problem with known weights: y = X·w + b + small noise.
struct LinearRegressionProblem {
    let inputs: Tensor  // [samples, features]
    let targets: Tensor  // [samples, 1]
    let weights: [Float]
    let bias: Float

    init(samples: Int = 64, features: Int = 5, noise: Float = 1e-3, seed: UInt64 = 2024) {
        var generator = SeededGenerator(seed: seed)
        weights = (0..<features).map { Float($0) * 0.5 - 1 }  // -1, -0.5, 0, 0.5, 1
        bias = 0.3
        let x = Tensor.normal([samples, features], using: &generator)
        var y = [Float](repeating: 0, count: samples)
        for s in 0..<samples {
            var total = bias
            for f in 0..<features { total += x[s, f] * weights[f] }
            y[s] = total + noise * Float(generator.nextNormal())
        }
        inputs = x
        targets = Tensor(shape: [samples, 1], scalars: y)
    }

    /// Fits a fresh `Linear` layer with `makeOptimizer` for `steps` full-batch steps; returns the layer and last loss.
    func fit(steps: Int, makeOptimizer: ([Parameter]) -> any Optimizer) -> (layer: Linear, loss: Float) {
        var generator = SeededGenerator(seed: 5)
        let layer = Linear(inputSize: weights.count, outputSize: 1, using: &generator)
        let optimizer = makeOptimizer(layer.allParameters)
        var lastLoss = Float.infinity
        for _ in 0..<steps {
            var context = ForwardContext(isTraining: true)
            let loss = meanSquaredError(predictions: layer(inputs, context: &context), targets: targets)
            lastLoss = loss.scalar
            optimizer.zeroGradients()
            loss.backward()
            optimizer.step()
        }
        return (layer, lastLoss)
    }

    /// Expects the layer's weights and bias to be within `tolerance` of the known ones.
    func expectRecovered(by layer: Linear, tolerance: Float, sourceLocation: SourceLocation = #_sourceLocation) {
        expectClose(layer.weight.value.scalars, weights, tolerance: tolerance, sourceLocation: sourceLocation)
        expectClose(layer.bias?.value.scalars ?? [], [bias], tolerance: tolerance, sourceLocation: sourceLocation)
    }
}
