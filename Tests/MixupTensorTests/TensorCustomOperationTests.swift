import Foundation
import MixupTensor
import Testing
import _MixupTestSupport

/// The doc comment's example: y = x³ elementwise.
func cubed(_ x: Tensor) -> Tensor {
    Tensor.differentiable(
        shape: x.shape, scalars: x.scalars.map { $0 * $0 * $0 },
        inputs: [(x, { gradient in gradient * x.detached().squared() * 3 })])
}

/// A two-input op computed on `scalars`: z = a·b + sin(a) per element, b broadcast along the rows of a `[n, m]` a.
func rowScaledSine(_ a: Tensor, _ b: Tensor) -> Tensor {
    let (n, m) = (a.shape[0], a.shape[1])
    var out = [Float](repeating: 0, count: n * m)
    for i in 0..<n {
        for j in 0..<m { out[i * m + j] = a.scalars[i * m + j] * b.scalars[i] + sin(a.scalars[i * m + j]) }
    }
    let (aValue, bValue) = (a.detached(), b.detached())
    return Tensor.differentiable(
        shape: [n, m], scalars: out,
        inputs: [
            (
                a,
                { g in
                    let cosines = Tensor(shape: [n, m], scalars: aValue.scalars.map { cos($0) })
                    return g * bValue.reshaped(to: [n, 1]) + g * cosines
                }
            ),
            (b, { g in (g * aValue).sum(alongAxes: [1]) }),
        ])
}

@Suite struct TensorCustomOperationTests {
    @Test func theDocumentedCubeHasExactValuesAndGradients() {
        let (value, gradients) = valueWithGradients(at: [Tensor([1, -2, 0.5])]) { inputs in cubed(inputs[0]).sum() }
        #expect(value.scalar == 1 - 8 + 0.125)
        #expect(gradients[0].scalars == [3, 12, 0.75])
    }

    @Test func customOpsMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 3)
        let a = Tensor.uniform([3, 4], lower: -1, upper: 1, using: &generator)
        let b = Tensor.uniform([3], lower: -1, upper: 1, using: &generator)
        let probe = Tensor.uniform([3, 4], lower: -1, upper: 1, using: &generator)
        expectGradientsMatchFiniteDifferences(at: [a, b]) { inputs in
            (cubed(rowScaledSine(inputs[0], inputs[1])) * probe).sum()
        }
    }

    @Test func gradientsFlowThroughACustomOpIntoEarlierOps() {
        // A custom op in the middle of a chain: gradients reach the parameter before it.
        let p = Parameter(Tensor([0.5, -1]))
        (cubed(p.tracked.scaled(by: 2)) + p.tracked).sum().backward()
        // d/dp Σ (2p)³ + p = 24p² + 1.
        #expect(p.gradient?.scalars == [7, 25])
    }

    @Test func constantsAndDisabledRecordingRecordNothing() {
        #expect(!cubed(Tensor([1, 2])).requiresGradient)
        let p = Parameter(Tensor([1, 2]))
        #expect(cubed(p.tracked).requiresGradient)
        #expect(!withoutGradients { cubed(p.tracked) }.requiresGradient)
        // Rewrapping scalars, by contrast, silently loses the path — what the custom-op API exists to avoid.
        #expect(!Tensor(shape: [2], scalars: p.tracked.scalars).requiresGradient)
    }
}
