import Foundation
import MixupNN
import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct AdamTests {
    @Test func firstStepIsLearningRateTimesSignOfGradient() {
        let p = Parameter(Tensor([1, 1, 1, 1, 1]))
        let optimizer = Adam(parameters: [p], learningRate: 0.01)
        // Bias correction makes the first step lr·g/(|g| + ε) whatever the gradient's magnitude.
        p.gradient = Tensor([1e-3, -5, 100, -0.2, 1])
        optimizer.step()
        expectClose(p.value.scalars, [0.99, 1.01, 0.99, 1.01, 0.99], tolerance: 1e-6)
    }

    @Test func largeParametersGiveTheSameStepsOnEveryThreadCount() {
        // 200,000 elements: the update is split over the compute threads; it is elementwise, so every thread count
        // must give the single-threaded values bit for bit, for Adam and for AdamW.
        var generator = SeededGenerator(seed: 3)
        let start = Tensor.uniform([200_000], lower: -1, upper: 1, using: &generator)
        let gradients = (0..<3).map { _ in Tensor.uniform([200_000], lower: -2, upper: 2, using: &generator) }
        func run(threads: Int, decoupled: Bool) -> [Float] {
            let previous = ComputeThreads.count
            ComputeThreads.set(threads)
            defer { ComputeThreads.set(previous) }
            let p = Parameter(start)
            let optimizer = Adam(
                parameters: [p], learningRate: 0.01, weightDecay: 0.1, decoupledWeightDecay: decoupled)
            for g in gradients {
                p.gradient = g
                optimizer.step()
            }
            return p.value.scalars
        }
        for decoupled in [false, true] {
            let single = run(threads: 1, decoupled: decoupled)
            #expect(single != start.scalars)
            #expect(run(threads: 2, decoupled: decoupled) == single, "decoupled \(decoupled)")
            #expect(run(threads: 3, decoupled: decoupled) == single, "decoupled \(decoupled)")
        }
    }

    @Test func twoStepsMatchTheFormula() {
        let p = Parameter(Tensor([0.5, -1]))
        let lr: Float = 0.1, b1: Float = 0.8, b2: Float = 0.9, eps: Float = 1e-6
        let optimizer = Adam(parameters: [p], learningRate: lr, beta1: b1, beta2: b2, epsilon: eps)
        let gradients: [[Float]] = [[1, 2], [-3, 0.5]]
        var theta: [Double] = [0.5, -1]
        var m: [Double] = [0, 0], v: [Double] = [0, 0]
        for (t, g) in gradients.enumerated() {
            p.gradient = Tensor(g)
            optimizer.step()
            for i in 0..<2 {
                m[i] = Double(b1) * m[i] + (1 - Double(b1)) * Double(g[i])
                v[i] = Double(b2) * v[i] + (1 - Double(b2)) * Double(g[i]) * Double(g[i])
                let mHat = m[i] / (1 - Foundation.pow(Double(b1), Double(t + 1)))
                let vHat = v[i] / (1 - Foundation.pow(Double(b2), Double(t + 1)))
                theta[i] -= Double(lr) * mHat / (vHat.squareRoot() + Double(eps))
            }
            expectClose(p.value.scalars, theta.map(Float.init), tolerance: 1e-5)
        }
    }

    @Test func decoupledWeightDecayDiffersFromL2() {
        let lr: Float = 0.01, wd: Float = 0.1
        let l2Parameter = Parameter(Tensor([2]))
        let l2 = Adam(parameters: [l2Parameter], learningRate: lr, weightDecay: wd)
        let decoupledParameter = Parameter(Tensor([2]))
        let decoupled = Adam(
            parameters: [decoupledParameter], learningRate: lr, weightDecay: wd, decoupledWeightDecay: true)
        l2Parameter.gradient = Tensor([0.1])
        decoupledParameter.gradient = Tensor([0.1])
        l2.step()
        decoupled.step()
        // L2: the decay enters the normalised gradient, so the first step is still lr·sign(g + wd·θ) = lr.
        #expect(abs(l2Parameter.value.scalar - 1.99) < 1e-6)
        // AdamW: θ·(1 − lr·wd) − lr·sign(g) = 1.998 − 0.01.
        #expect(abs(decoupledParameter.value.scalar - 1.988) < 1e-6)

        // With a zero gradient, L2-Adam is still driven by wd·θ; AdamW only shrinks θ by lr·wd·θ.
        let a = Parameter(Tensor([1])), b = Parameter(Tensor([1]))
        let adam = Adam(parameters: [a], learningRate: lr, weightDecay: wd)
        let adamW = Adam.adamW(parameters: [b], learningRate: lr, weightDecay: wd)
        a.gradient = Tensor([0])
        b.gradient = Tensor([0])
        adam.step()
        adamW.step()
        #expect(abs(a.value.scalar - 0.99) < 1e-6)
        #expect(abs(b.value.scalar - 0.999) < 1e-6)
    }

    @Test func adamWFactoryDefaults() {
        let optimizer = Adam.adamW(parameters: [])
        #expect(optimizer.decoupledWeightDecay)
        #expect(optimizer.weightDecay == 0.01)
        #expect(optimizer.learningRate == 1e-3)
        #expect(optimizer.beta1 == 0.9 && optimizer.beta2 == 0.999)
        #expect(!Adam(parameters: []).decoupledWeightDecay)
    }

    @Test(arguments: [false, true])
    func stateRoundTripGivesIdenticalSubsequentSteps(decoupled: Bool) throws {
        let gradients: [[Float]] = [[1, -2], [0.3, 0.1], [2, 0], [-1, 1], [0.5, 0.5]]
        func makeOptimizer(_ parameters: [Parameter]) -> Adam {
            Adam(parameters: parameters, learningRate: 0.05, weightDecay: 0.1, decoupledWeightDecay: decoupled)
        }
        let p = Parameter(Tensor([1, 2])), q = Parameter(Tensor(shape: [1, 1], scalars: [3]))
        let original = makeOptimizer([p, q])
        for g in gradients.prefix(3) {
            p.gradient = Tensor(g)
            q.gradient = Tensor(shape: [1, 1], scalars: [g[1]])
            original.step()
        }
        let saved = original.state()
        #expect(saved.keys.sorted() == ["m.0", "m.1", "step", "v.0", "v.1"])
        #expect(saved["step"]?.scalar == 3)
        #expect(saved["m.1"]?.shape == [1, 1])

        let p2 = Parameter(p.value), q2 = Parameter(q.value)
        let restored = makeOptimizer([p2, q2])
        try restored.load(state: saved)
        for g in gradients.suffix(2) {
            for (parameter, other) in [(p, q), (p2, q2)] {
                parameter.gradient = Tensor(g)
                other.gradient = Tensor(shape: [1, 1], scalars: [g[1]])
            }
            original.step()
            restored.step()
            #expect(p2.value.scalars == p.value.scalars)
            #expect(q2.value.scalars == q.value.scalars)
        }
        #expect(restored.state()["step"]?.scalar == 5)
    }

    @Test func loadingAWrongShapeThrowsNamingTheTensor() {
        let optimizer = Adam(parameters: [Parameter(Tensor([1, 2]))])
        let wrongMoment = ["step": Tensor(1), "m.0": Tensor([1, 2, 3]), "v.0": Tensor([1, 2])]
        let wrongShape = #expect(throws: OptimizerStateError.self) { try optimizer.load(state: wrongMoment) }
        #expect(wrongShape?.description.contains("\"m.0\"") == true)
        let missingStep = #expect(throws: OptimizerStateError.self) {
            try optimizer.load(state: ["m.0": Tensor([1, 2])])
        }
        #expect(missingStep?.description.contains("\"step\"") == true)
    }

    @Test func convergesOnLeastSquares() {
        let problem = LinearRegressionProblem()
        let (layer, loss) = problem.fit(steps: 300) { parameters in
            Adam(parameters: parameters, learningRate: 0.05)
        }
        #expect(loss < 1e-3)
        problem.expectRecovered(by: layer, tolerance: 2e-2)
    }

    @Test func adamWConvergesOnLeastSquares() {
        let problem = LinearRegressionProblem()
        // A tiny decoupled decay barely biases the solution.
        let (layer, _) = problem.fit(steps: 300) { Adam.adamW(parameters: $0, learningRate: 0.05, weightDecay: 1e-4) }
        problem.expectRecovered(by: layer, tolerance: 2e-2)
    }
}
