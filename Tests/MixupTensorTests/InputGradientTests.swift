import MixupTensor
import Testing
import _MixupTestSupport

/// The input-gradient API: gradients of a scalar with respect to any tensor, with or without parameter side effects.
@Suite struct InputGradientTests {
    /// f(x) = Σ tanh(x · W) ⊙ P, with W a parameter: the shape of a loss of a model at its input.
    static func loss(_ x: Tensor, weight: Parameter) -> Tensor {
        let projection = Tensor(shape: [3, 2], scalars: [0.3, -1.2, 0.7, 0.5, -0.4, 1.1])
        return (Tensor.matmul(x, weight.tracked).tanh() * projection).sum()
    }

    static func makeWeight() -> Parameter {
        Parameter(Tensor(shape: [4, 2], scalars: [0.5, -0.3, 0.2, 0.9, -0.7, 0.1, 0.4, -0.6]), name: "weight")
    }

    static var point: Tensor { Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0 % 5) * 0.3 - 0.6 }) }

    @Test func inputGradientMatchesFiniteDifferences() {
        let weight = Self.makeWeight()
        let analytic = gradient(at: Self.point) { Self.loss($0, weight: weight) }
        #expect(analytic.shape == Self.point.shape)
        let step: Float = 1e-2
        var numeric = [Float](repeating: 0, count: Self.point.count)
        for element in 0..<Self.point.count {
            var plus = Self.point.scalars, minus = Self.point.scalars
            plus[element] += step
            minus[element] -= step
            let fPlus = withoutGradients { Self.loss(Tensor(shape: [3, 4], scalars: plus), weight: weight).scalar }
            let fMinus = withoutGradients { Self.loss(Tensor(shape: [3, 4], scalars: minus), weight: weight).scalar }
            numeric[element] = (fPlus - fMinus) / (2 * step)
        }
        expectClose(analytic.scalars, numeric, tolerance: 2e-3)
        #expect(analytic.scalars.contains { abs($0) > 0.05 }, "a non-trivial gradient")
    }

    @Test func inputGradientLeavesParameterGradientsUntouched() {
        let weight = Self.makeWeight()
        #expect(weight.gradient == nil)
        _ = gradient(at: Self.point) { Self.loss($0, weight: weight) }
        #expect(weight.gradient == nil)
        // An existing accumulated gradient is kept as it was.
        weight.gradient = Tensor.filled([4, 2], with: 7)
        let (value, gradients) = valueWithGradients(at: [Self.point], accumulatingIntoParameters: false) {
            Self.loss($0[0], weight: weight)
        }
        #expect(weight.gradient?.scalars == [Float](repeating: 7, count: 8))
        #expect(!value.requiresGradient)
        #expect(gradients[0].shape == [3, 4])
    }

    @Test func accumulatingVariantMatchesBackwardIntoParameters() {
        let viaAPI = Self.makeWeight()
        let (_, inputGradients) = valueWithGradients(at: [Self.point], accumulatingIntoParameters: true) {
            Self.loss($0[0], weight: viaAPI)
        }
        let viaBackward = Self.makeWeight()
        Self.loss(Self.point, weight: viaBackward).backward()
        #expect(viaAPI.gradient?.scalars == viaBackward.gradient?.scalars)
        // The old entry point is the accumulating one.
        let viaOldAPI = Self.makeWeight()
        let (_, oldGradients) = valueWithGradients(at: [Self.point]) { Self.loss($0[0], weight: viaOldAPI) }
        #expect(viaOldAPI.gradient?.scalars == viaBackward.gradient?.scalars)
        #expect(oldGradients[0].scalars == inputGradients[0].scalars)
    }

    @Test func worksInsideWithoutGradientsAndForSeveralInputs() {
        let (value, gradients) = withoutGradients {
            valueWithGradients(at: [Tensor([1, 2]), Tensor([3]), Tensor([4])], accumulatingIntoParameters: false) {
                ($0[0] * $0[1]).sum()
            }
        }
        #expect(value.scalar == 9)
        #expect(gradients[0].scalars == [3, 3])
        #expect(gradients[1].scalars == [3])
        #expect(gradients[2].scalars == [0])
    }

    @Test func trackedInputsAreDetachedIntoFreshLeaves() {
        let parameter = Parameter(Tensor([2, 3]))
        let tracked = parameter.tracked.scaled(by: 2)
        let g = gradient(at: tracked) { $0.squared().sum() }
        #expect(g.scalars == [8, 12])
        #expect(parameter.gradient == nil)
    }
}
