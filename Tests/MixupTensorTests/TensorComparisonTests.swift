import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct TensorComparisonTests {
    @Test func masks() {
        let a = Tensor([1, 2, 3]), b = Tensor([2, 2, 2])
        #expect((a .> b).scalars == [0, 0, 1])
        #expect((a .< b).scalars == [1, 0, 0])
        #expect((a .>= b).scalars == [0, 1, 1])
        #expect((a .<= b).scalars == [1, 1, 0])
        #expect((a .== b).scalars == [0, 1, 0])
        let m = Tensor(shape: [2, 1], scalars: [0, 5]) .> Tensor([1, 4, 6])
        #expect(m.shape == [2, 3])
        #expect(m.scalars == [0, 0, 0, 1, 1, 0])
    }

    @Test func masksCarryNoGradient() {
        let p = Parameter(Tensor([1, 2, 3]))
        #expect(!(p.tracked .> Tensor(2)).requiresGradient)
    }

    @Test func whereSelects() {
        let condition = Tensor([1, 0, 1, 0])
        let selected = Tensor.where(condition, Tensor([1, 2, 3, 4]), Tensor([-1, -2, -3, -4]))
        #expect(selected.scalars == [1, -2, 3, -4])
        // Broadcast condition and scalar branch.
        let rows = Tensor.where(
            Tensor(shape: [2, 1], scalars: [1, 0]), Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), Tensor(0))
        #expect(rows.scalars == [1, 2, 0, 0])
    }

    @Test func whereDoesNotLeakTheBranchNotTaken() {
        // Regression: `where` used to blend a·mask + b·(1 − mask), which turns an inf in the unused branch into NaN.
        let x = Tensor([0, 1, 4])
        let safeLog = Tensor.where(x .> Tensor(0), x.log(), Tensor(-100))
        #expect(safeLog.scalars.allSatisfy { !$0.isNaN })
        expectClose(safeLog, Tensor([-100, 0, 1.3862944]))
    }

    @Test func whereGradient() {
        let condition = Tensor(shape: [2, 3], scalars: [1, 0, 0, 1, 1, 0])
        let a = randomTensor([2, 3], seed: 31), b = randomTensor([3], seed: 32)
        expectGradientsMatchFiniteDifferences(at: [a, b]) { weightedSum(Tensor.where(condition, $0[0], $0[1])) }
        let (_, gradients) = valueWithGradients(at: [a, b]) { Tensor.where(condition, $0[0], $0[1]).sum() }
        #expect(gradients[0].scalars == condition.scalars)
        #expect(gradients[1].scalars == [0, 1, 2])
    }
}
