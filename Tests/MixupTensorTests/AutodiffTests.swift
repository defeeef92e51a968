import Foundation
import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct AutodiffTests {
    @Test func parameterReceivesGradient() {
        let p = Parameter(Tensor([1, 2, 3]), name: "w")
        #expect(p.gradient == nil)
        #expect(p.tracked.requiresGradient)
        #expect(!p.value.requiresGradient)
        (p.tracked * p.tracked).sum().backward()
        #expect(p.gradient?.scalars == [2, 4, 6])
        #expect(!(p.gradient?.requiresGradient ?? true))
        p.zeroGradient()
        #expect(p.gradient == nil)
    }

    @Test func gradientsAccumulateAcrossBackwardCalls() {
        let p = Parameter(Tensor([1, -2]))
        let loss = (p.tracked * Tensor([3, 4])).sum()
        loss.backward()
        #expect(p.gradient?.scalars == [3, 4])
        loss.backward()  // the same graph a second time
        #expect(p.gradient?.scalars == [6, 8])
        (p.tracked.scaled(by: 10)).sum().backward()  // a new graph
        #expect(p.gradient?.scalars == [16, 18])
    }

    @Test func tensorUsedTwiceGetsBothContributions() throws {
        let p = Parameter(Tensor([2, 3]))
        let x = p.tracked
        let y = x * x + x.scaled(by: 5)  // x used three times through one node
        y.sum().backward()
        #expect(p.gradient?.scalars == [9, 11])

        // A diamond: two paths from one intermediate node to the output.
        let q = Parameter(Tensor([0.5]))
        let h = q.tracked.exp()
        (h * Tensor(2) + h.squared()).sum().backward()
        let e = Foundation.exp(Float(0.5))
        let gradient = try #require(q.gradient)
        #expect(abs(gradient.scalar - (2 * e + 2 * e * e)) < 1e-5)
    }

    @Test func readingTrackedTwiceAccumulates() {
        let p = Parameter(Tensor([1, 2]))
        (p.tracked + p.tracked).sum().backward()
        #expect(p.gradient?.scalars == [2, 2])
    }

    @Test func backwardWithSeed() {
        let p = Parameter(Tensor([1, 2, 3]))
        p.tracked.squared().backward(seed: Tensor([1, 0, -1]))
        #expect(p.gradient?.scalars == [2, 0, -6])
    }

    @Test func constantsHaveNoGraph() {
        let c = Tensor([1, 2]) * Tensor([3, 4])
        #expect(!c.requiresGradient)
        c.sum().backward()  // a no-op, not a crash
    }

    @Test func detachedStopsGradients() {
        let p = Parameter(Tensor([1, 2]))
        let x = p.tracked
        let stopped = x.detached()
        #expect(!stopped.requiresGradient)
        (x * stopped.scaled(by: 100)).sum().backward()
        // Only the tracked factor contributes: d/dx (x · c) = c.
        #expect(p.gradient?.scalars == [100, 200])
    }

    @Test func withoutGradientsRecordsNothing() {
        let p = Parameter(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        let outside = p.tracked
        #expect(isRecordingGradients)
        withoutGradients {
            #expect(!isRecordingGradients)
            #expect(!p.tracked.requiresGradient)
            // Tensors tracked before recording was turned off give constants too, for every kind of op.
            #expect(!(outside * outside).requiresGradient)
            #expect(!outside.exp().requiresGradient)
            #expect(!outside.reshaped(to: [4]).requiresGradient)
            #expect(!outside.transposed().requiresGradient)
            #expect(!outside.slice(0..<1).requiresGradient)
            #expect(!Tensor.concatenate([outside, outside]).requiresGradient)
            #expect(!outside.gathering(rows: [0, 0]).requiresGradient)
            #expect(!outside.broadcast(to: [3, 2, 2]).requiresGradient)
            #expect(!outside.summed(toShape: [2]).requiresGradient)
            #expect(!outside.padded(top: 1, bottom: 1, left: 1, right: 1).requiresGradient)
            #expect(!outside.cropped(top: 0, left: 0, height: 1, width: 1).requiresGradient)
            #expect(!outside.sum(alongAxes: [0]).requiresGradient)
            #expect(!Tensor.where(Tensor([1, 0]), outside, Tensor(0)).requiresGradient)
            #expect(!Tensor.matmul(outside, outside).requiresGradient)
            #expect(!outside.softmax().requiresGradient)
        }
        #expect(isRecordingGradients)
        #expect(p.tracked.requiresGradient)
        // Values computed inside do not feed gradients back.
        let teacher = withoutGradients { p.tracked.scaled(by: 3) }
        (p.tracked * teacher).sum().backward()
        #expect(p.gradient?.scalars == [3, 6, 9, 12])
    }

    @Test func withoutGradientsReturnsAndRethrows() throws {
        struct Failure: Error {}
        #expect(withoutGradients { 42 } == 42)
        #expect(throws: Failure.self) { try withoutGradients { throw Failure() } }
    }

    @Test func valueWithGradientsGivesZerosForUnusedInputs() {
        let (value, gradients) = valueWithGradients(at: [Tensor([1, 2]), Tensor([5])]) { $0[0].squared().sum() }
        #expect(value.scalar == 5)
        #expect(!value.requiresGradient)
        #expect(gradients[0].scalars == [2, 4])
        #expect(gradients[1].scalars == [0])
    }

    @Test func graphIsFreedWithItsLastTensor() {
        weak var weakParameter: Parameter?
        var loss: Tensor?
        do {
            let p = Parameter(Tensor([1, 2, 3]))
            weakParameter = p
            loss = (p.tracked.exp() * p.tracked).sum()
        }
        // Only the graph references the parameter now; it keeps it alive…
        #expect(weakParameter != nil)
        loss?.backward()
        #expect(weakParameter?.gradient != nil)
        // …until the last tensor holding the graph goes away: no reference cycles.
        loss = nil
        #expect(weakParameter == nil)
    }

    @Test func parameterIsFreedAfterTrainingStep() {
        weak var weakParameter: Parameter?
        do {
            let p = Parameter(Tensor([1, 2]))
            weakParameter = p
            let x = Tensor.concatenate([p.tracked, p.tracked.gathering(rows: [1, 0])]).reshaped(to: [2, 2])
            Tensor.matmul(x, x.transposed()).softmax().logSoftmax().sum().backward()
        }
        #expect(weakParameter == nil)
    }

    @Test func deepChainDoesNotOverflowTheStack() {
        let p = Parameter(Tensor([1, 2]))
        var x = p.tracked
        for _ in 0..<10_000 { x = x.shifted(by: 0.001) }
        x.scaled(by: 2).sum().backward()
        #expect(p.gradient?.scalars == [2, 2])
        // Releasing the 10,000-node graph must not overflow either (x goes out of scope here).
    }

    @Test func deepGraphIsReleasedOnASmallStack() {
        // Regression: releasing a graph used to recurse once per node (a 300,000-node chain crashed even on an 8 MB
        // stack). 30,000 nodes on a 256 KB thread stack.
        let done = DispatchSemaphore(value: 0)
        let result = ResultBox()
        let thread = Thread {
            let p = Parameter(Tensor([1]))
            do {
                var x = p.tracked
                for _ in 0..<30_000 { x = x.shifted(by: 0) }
                x.sum().backward()
            }
            result.gradient = p.gradient?.scalars
            done.signal()
        }
        thread.stackSize = 256 << 10
        thread.start()
        done.wait()
        #expect(result.gradient == [1])
    }

    @Test func deepChainOfMixedOps() throws {
        let p = Parameter(Tensor([0.5]))
        var x = p.tracked
        for i in 0..<10_000 { x = i.isMultiple(of: 2) ? x.scaled(by: 1.0001) : (x + Tensor(0.0001)) }
        x.sum().backward()
        let gradient = try #require(p.gradient)
        #expect(abs(gradient.scalar - Foundation.pow(Float(1.0001), 5000)) < 1e-2)
    }
}

private final class ResultBox: @unchecked Sendable {
    var gradient: [Float]?
}
