import Testing
import _MixupTestSupport

@testable import MixupTensor

// Construction, element access and value semantics. `@testable` only to mutate `scalars` (internal(set)) for the
// copy-on-write checks: the public API has no mutating tensor operations.

@Suite struct TensorTests {
    @Test func initializersAndAccessors() {
        let t = Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        #expect(t.rank == 2)
        #expect(t.count == 6)
        #expect(t[1, 2] == 5)
        #expect(t[0, 1] == 1)
        #expect(!t.requiresGradient)
        #expect(Tensor(3).shape == [])
        #expect(Tensor(3).scalar == 3)
        #expect(Tensor([1, 2, 3]).shape == [3])
        #expect(Tensor(shape: [0, 4], scalars: []).count == 0)
        #expect(t.shapeDescription == "[2, 3]")
        #expect(t.description.contains("[2, 3]"))
    }

    @Test func creation() {
        #expect(Tensor.zeros([2, 2]).scalars == [0, 0, 0, 0])
        #expect(Tensor.ones([3]).scalars == [1, 1, 1])
        #expect(Tensor.filled([2], with: 7).scalars == [7, 7])
        #expect(Tensor.zeros(like: Tensor.ones([2, 5])).shape == [2, 5])
        let oneHot = Tensor.oneHot([2, 0], classCount: 3)
        #expect(oneHot.shape == [2, 3])
        #expect(oneHot.scalars == [0, 0, 1, 1, 0, 0])

        var g = SeededGenerator(seed: 5)
        let u = Tensor.uniform([1000], lower: -2, upper: 3, using: &g)
        #expect(u.scalars.allSatisfy { $0 >= -2 && $0 < 3 })
        let mean = u.scalars.reduce(0, +) / 1000
        #expect(abs(mean - 0.5) < 0.2)
        let n = Tensor.normal([4000], mean: 2, standardDeviation: 0.5, using: &g)
        let nMean = n.scalars.reduce(0, +) / 4000
        let nVar = n.scalars.map { ($0 - nMean) * ($0 - nMean) }.reduce(0, +) / 4000
        #expect(abs(nMean - 2) < 0.05)
        #expect(abs(nVar - 0.25) < 0.03)
    }

    @Test func copyOnWriteKeepsTheOriginal() {
        let original = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        var copy = original
        copy.scalars[0] = 100
        #expect(original.scalars == [1, 2, 3, 4])
        #expect(copy.scalars == [100, 2, 3, 4])

        // Results of operations never alias their inputs.
        var sum = original + Tensor.zeros([2, 2])
        sum.scalars[1] = -1
        var reshaped = original.reshaped(to: [4])
        reshaped.scalars[2] = -1
        var detached = original.detached()
        detached.scalars[3] = -1
        #expect(original.scalars == [1, 2, 3, 4])
    }

    @Test func parameterValueIsACopy() {
        var source = Tensor([1, 2, 3])
        let parameter = Parameter(source)
        source.scalars[0] = 42
        #expect(parameter.value.scalars == [1, 2, 3])
        var read = parameter.value
        read.scalars[1] = 42
        #expect(parameter.value.scalars == [1, 2, 3])
        // Assigning a tracked tensor strips its history.
        parameter.value = parameter.tracked * Tensor(2)
        #expect(!parameter.value.requiresGradient)
        #expect(parameter.value.scalars == [2, 4, 6])
    }
}
