import MixupNN
import MixupTensor
import Testing
import _MixupTestSupport

@Suite struct SGDTests {
    private func parameter(_ values: [Float], name: String = "p") -> Parameter {
        Parameter(Tensor(values), name: name)
    }

    @Test func plainStepIsLearningRateTimesGradient() {
        let p = parameter([1, -2, 3])
        let optimizer = SGD(parameters: [p], learningRate: 0.1)
        p.gradient = Tensor([0.5, 1, -2])
        optimizer.step()
        expectClose(p.value.scalars, [0.95, -2.1, 3.2])
        // Plain SGD keeps no state.
        #expect(optimizer.state().isEmpty)
    }

    @Test func momentumStepsFollowPyTorchFormula() {
        let p = parameter([1, 2])
        let lr: Float = 0.1, mu: Float = 0.9
        let optimizer = SGD(parameters: [p], learningRate: lr, momentum: mu)
        let g1: [Float] = [1, -1], g2: [Float] = [0.5, 2]
        p.gradient = Tensor(g1)
        optimizer.step()
        // First step: v = g.
        let theta1 = [1 - lr * g1[0], 2 - lr * g1[1]]
        expectClose(p.value.scalars, theta1)
        p.gradient = Tensor(g2)
        optimizer.step()
        let v2 = [mu * g1[0] + g2[0], mu * g1[1] + g2[1]]
        expectClose(p.value.scalars, [theta1[0] - lr * v2[0], theta1[1] - lr * v2[1]])
        expectClose(optimizer.state()["velocity.0"]?.scalars ?? [], v2)
    }

    @Test func nesterovStepsFollowPyTorchFormula() {
        let p = parameter([1, 2])
        let lr: Float = 0.1, mu: Float = 0.9
        let optimizer = SGD(parameters: [p], learningRate: lr, momentum: mu, nesterov: true)
        let g1: [Float] = [1, -1], g2: [Float] = [0.5, 2]
        p.gradient = Tensor(g1)
        optimizer.step()
        // v1 = g1; θ1 = θ0 − lr·(g1 + μ·v1).
        let theta1 = (0..<2).map { [1, 2][$0] - lr * (g1[$0] + mu * g1[$0]) }
        expectClose(p.value.scalars, theta1)
        p.gradient = Tensor(g2)
        optimizer.step()
        let v2 = (0..<2).map { mu * g1[$0] + g2[$0] }
        expectClose(p.value.scalars, (0..<2).map { theta1[$0] - lr * (g2[$0] + mu * v2[$0]) })
    }

    @Test func weightDecayIsAddedToTheGradient() {
        let p = parameter([2, -4])
        let lr: Float = 0.5, wd: Float = 0.1, mu: Float = 0.5
        let optimizer = SGD(parameters: [p], learningRate: lr, momentum: mu, weightDecay: wd)
        p.gradient = Tensor([1, 1])
        optimizer.step()
        // d = g + wd·θ = [1.2, 0.6]; v = d; θ = θ − lr·d.
        expectClose(p.value.scalars, [2 - 0.5 * 1.2, -4 - 0.5 * 0.6])
        p.gradient = Tensor([0, 0])
        optimizer.step()
        // d = wd·θ1 = [0.14, -0.43]; v = μ·[1.2, 0.6] + d.
        let theta1: [Float] = [1.4, -4.3]
        let v2: [Float] = [0.5 * 1.2 + 0.1 * theta1[0], 0.5 * 0.6 + 0.1 * theta1[1]]
        expectClose(p.value.scalars, [theta1[0] - lr * v2[0], theta1[1] - lr * v2[1]])
    }

    @Test func parametersWithoutGradientsAreSkipped() {
        let a = parameter([1]), b = parameter([1])
        let optimizer = SGD(parameters: [a, b], learningRate: 0.1, momentum: 0.9)
        a.gradient = Tensor([1])
        optimizer.step()
        #expect(b.value.scalars == [1])
        #expect(optimizer.state().keys.sorted() == ["velocity.0"])
        optimizer.zeroGradients()
        #expect(a.gradient == nil && b.gradient == nil)
    }

    @Test(arguments: [false, true])
    func stateRoundTripGivesIdenticalSubsequentSteps(nesterov: Bool) throws {
        let gradients: [[Float]] = [[1, -2, 0.5], [0.3, 0.1, -1], [2, 0, 0.2], [-1, 1, 1]]
        func makeOptimizer(_ p: Parameter, _ q: Parameter) -> SGD {
            SGD(parameters: [p, q], learningRate: 0.05, momentum: 0.8, nesterov: nesterov, weightDecay: 0.01)
        }
        let p = parameter([1, 2, 3]), q = parameter([0.5])
        let original = makeOptimizer(p, q)
        for g in gradients.prefix(2) {
            p.gradient = Tensor(g)
            q.gradient = Tensor([g[0]])
            original.step()
        }
        let saved = original.state()
        #expect(saved.keys.sorted() == ["velocity.0", "velocity.1"])

        let p2 = Parameter(p.value), q2 = Parameter(q.value)
        let restored = makeOptimizer(p2, q2)
        try restored.load(state: saved)
        for g in gradients.suffix(2) {
            p.gradient = Tensor(g)
            q.gradient = Tensor([g[0]])
            p2.gradient = Tensor(g)
            q2.gradient = Tensor([g[0]])
            original.step()
            restored.step()
            #expect(p2.value.scalars == p.value.scalars)
            #expect(q2.value.scalars == q.value.scalars)
        }
        // Loading an empty state forgets the velocities.
        try restored.load(state: [:])
        #expect(restored.state().isEmpty)
    }

    @Test func loadingAWrongShapeThrowsNamingTheTensor() {
        let optimizer = SGD(parameters: [parameter([1, 2]), parameter([3])], learningRate: 0.1, momentum: 0.9)
        let state = ["velocity.0": Tensor([1, 2]), "velocity.1": Tensor([1, 2, 3])]
        let error = #expect(throws: OptimizerStateError.self) { try optimizer.load(state: state) }
        #expect(error?.description.contains("\"velocity.1\"") == true)
        #expect(error?.description.contains("[3]") == true)
    }

    @Test func convergesOnLeastSquares() {
        let problem = LinearRegressionProblem()
        let (layer, loss) = problem.fit(steps: 150) { SGD(parameters: $0, learningRate: 0.05, momentum: 0.9) }
        #expect(loss < 1e-4)
        problem.expectRecovered(by: layer, tolerance: 5e-3)
    }

    @Test func convergesOnLeastSquaresWithNesterov() {
        let problem = LinearRegressionProblem()
        let (layer, loss) = problem.fit(steps: 150) {
            SGD(parameters: $0, learningRate: 0.05, momentum: 0.9, nesterov: true)
        }
        #expect(loss < 1e-4)
        problem.expectRecovered(by: layer, tolerance: 5e-3)
    }
}
