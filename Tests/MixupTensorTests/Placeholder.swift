import MixupTensor
import Testing
import _MixupTestSupport

@Test func smoke() {
    var g = SeededGenerator(seed: 1)
    let a = Tensor.normal([3, 4], using: &g)
    let b = Tensor.normal([4, 2], using: &g)
    expectGradientsMatchFiniteDifferences(at: [a, b]) { Tensor.matmul($0[0], $0[1]).squared().sum() }
}
