import MixupTensor
import Testing
import _MixupTestSupport

struct ConvolutionCase: CustomTestStringConvertible, Sendable {
    let stride: Int, padding: Int, groups: Int, hasBias: Bool
    var testDescription: String { "stride \(stride) padding \(padding) groups \(groups) bias \(hasBias)" }

    static let all: [ConvolutionCase] = [1, 2].flatMap { stride in
        [0, 1].flatMap { padding in
            [1, 2].flatMap { groups in
                [false, true].map { ConvolutionCase(stride: stride, padding: padding, groups: groups, hasBias: $0) }
            }
        }
    }
}

@Suite struct TensorConvolutionTests {
    @Test func handComputedValue() {
        // One 3×3 image, a 2×2 filter of ones: each output is the sum of its window.
        let x = Tensor(shape: [1, 1, 3, 3], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let y = Tensor.conv2d(x, filter: Tensor.ones([1, 1, 2, 2]), bias: Tensor([0.5]))
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.scalars == [12.5, 16.5, 24.5, 28.5])
        let padded = Tensor.conv2d(x, filter: Tensor.ones([1, 1, 3, 3]), padding: 1)
        #expect(padded.shape == [1, 1, 3, 3])
        #expect(padded.scalars == [12, 21, 16, 27, 45, 33, 24, 39, 28])
        let strided = Tensor.conv2d(x, filter: Tensor.ones([1, 1, 1, 1]), stride: 2)
        #expect(strided.scalars == [1, 3, 7, 9])
    }

    @Test(arguments: ConvolutionCase.all)
    func matchesNaiveConvolution(_ config: ConvolutionCase) {
        let x = randomTensor([2, 4, 5, 6], seed: 91)
        let f = randomTensor([4, 4 / config.groups, 3, 3], seed: 92)
        let bias = config.hasBias ? randomTensor([4], seed: 93) : nil
        let y = Tensor.conv2d(
            x, filter: f, bias: bias, stride: config.stride, padding: config.padding, groups: config.groups)
        let expected = naiveConv2d(
            x, f, bias: bias, stride: config.stride, padding: config.padding, groups: config.groups)
        expectClose(y, expected, tolerance: 1e-5)
    }

    @Test func depthwiseMatchesNaive() {
        let x = randomTensor([1, 3, 4, 4], seed: 94)
        let f = randomTensor([6, 1, 2, 2], seed: 95)  // channel multiplier 2
        let y = Tensor.conv2d(x, filter: f, stride: 1, padding: 1, groups: 3)
        expectClose(y, naiveConv2d(x, f, bias: nil, stride: 1, padding: 1, groups: 3), tolerance: 1e-5)
    }

    @Test(arguments: ConvolutionCase.all)
    func gradients(_ config: ConvolutionCase) {
        let x = randomTensor([2, 2, 4, 5], seed: 96)
        let f = randomTensor([2, 2 / config.groups, 3, 2], seed: 97)
        let bias = randomTensor([2], seed: 98)
        if config.hasBias {
            expectGradientsMatchFiniteDifferences(at: [x, f, bias]) {
                weightedSum(
                    Tensor.conv2d(
                        $0[0], filter: $0[1], bias: $0[2], stride: config.stride, padding: config.padding,
                        groups: config.groups))
            }
        } else {
            expectGradientsMatchFiniteDifferences(at: [x, f]) {
                weightedSum(
                    Tensor.conv2d(
                        $0[0], filter: $0[1], stride: config.stride, padding: config.padding, groups: config.groups))
            }
        }
    }

    @Test(arguments: ConvolutionCase.all)
    func residualIsAddedInTheSamePass(_ config: ConvolutionCase) {
        let x = randomTensor([2, 4, 5, 6], seed: 94)
        let f = randomTensor([4, 4 / config.groups, 3, 3], seed: 95)
        let bias = config.hasBias ? randomTensor([4], seed: 96) : nil
        let plain = naiveConv2d(x, f, bias: bias, stride: config.stride, padding: config.padding, groups: config.groups)
        let residual = randomTensor(plain.shape, seed: 97)
        let fused = Tensor.conv2d(
            x, filter: f, bias: bias, stride: config.stride, padding: config.padding, groups: config.groups,
            residual: residual)
        expectClose(fused, plain + residual, tolerance: 1e-4)
        expectGradientsMatchFiniteDifferences(at: [x, f, residual]) {
            weightedSum(
                Tensor.conv2d(
                    $0[0], filter: $0[1], bias: bias, stride: config.stride, padding: config.padding,
                    groups: config.groups, residual: $0[2]))
        }
    }

    @Test func gradientWithConstantFilter() {
        // Only the input is tracked (e.g. an adversarial / input-gradient step).
        let x = randomTensor([1, 2, 4, 4], seed: 99)
        let f = randomTensor([3, 2, 3, 3], seed: 100)
        expectGradientsMatchFiniteDifferences(at: [x]) { weightedSum(Tensor.conv2d($0[0], filter: f, padding: 1)) }
    }

    @Test func kernelLargerThanPaddedInputStops() async {
        // Regression: (2 − 3) / 2 + 1 truncates to 1, which used to pass the size check.
        await #expect(processExitsWith: .failure) {
            _ = Tensor.conv2d(Tensor.zeros([1, 1, 2, 2]), filter: Tensor.zeros([1, 1, 3, 3]), stride: 2)
        }
    }
}
