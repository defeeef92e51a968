import Foundation
import MixupNN
import MixupTensor
import Testing
import _MixupTestSupport

/// End-to-end check that the layers, loss and optimizer train a small network on a non-linear problem.
@Suite struct SpiralsTrainingTests {
    /// Two interleaved spirals (1.5 turns each), `perClass` points per class, with Gaussian noise on the coordinates.
    static func twoSpirals(perClass: Int, noise: Double, seed: UInt64) -> (inputs: Tensor, labels: [Int]) {
        var generator = SeededGenerator(seed: seed)
        var points: [Float] = []
        var labels: [Int] = []
        for label in 0..<2 {
            for i in 0..<perClass {
                let s = Double(i) / Double(perClass - 1)
                let radius = 0.1 + 0.9 * s
                let angle = 3 * Double.pi * s + Double(label) * Double.pi
                points.append(Float(radius * Foundation.cos(angle) + noise * generator.nextNormal()))
                points.append(Float(radius * Foundation.sin(angle) + noise * generator.nextNormal()))
                labels.append(label)
            }
        }
        return (Tensor(shape: [2 * perClass, 2], scalars: points), labels)
    }

    @Test func mlpReachesNinetyNinePercentTrainingAccuracyOnTwoSpirals() {
        let started = ContinuousClock.now
        let (inputs, labels) = Self.twoSpirals(perClass: 100, noise: 0.02, seed: 1)
        var generator = SeededGenerator(seed: 2)
        let model = Sequential([
            Linear(inputSize: 2, outputSize: 64, using: &generator),
            Tanh(),
            Linear(inputSize: 64, outputSize: 64, using: &generator),
            Tanh(),
            Linear(inputSize: 64, outputSize: 2, using: &generator),
        ])
        let optimizer = Adam(parameters: model.allParameters, learningRate: 1e-2)
        // Across six data/initialisation seeds this setup first reached 99% after 100–150 steps and stayed at 100%
        // through 400; 250 steps leaves a wide margin for floating-point differences between GEMM kernels.
        let steps = 250
        var firstLoss: Float = 0
        var lastLoss: Float = 0
        for step in 0..<steps {
            var context = ForwardContext(isTraining: true)
            let loss = softmaxCrossEntropy(logits: model(inputs, context: &context), labels: labels)
            if step == 0 { firstLoss = loss.scalar }
            lastLoss = loss.scalar
            optimizer.zeroGradients()
            loss.backward()
            optimizer.step()
        }
        let predictions = model.inferring(inputs).argmax(alongAxis: 1)
        let correct = zip(predictions, labels).filter { $0 == $1 }.count
        let accuracy = Double(correct) / Double(labels.count)
        let elapsed = ContinuousClock.now - started
        print("two spirals: accuracy \(accuracy), loss \(firstLoss) → \(lastLoss), \(steps) steps in \(elapsed)")
        #expect(accuracy >= 0.99, "training accuracy \(accuracy) after \(steps) steps (loss \(lastLoss))")
        #expect(lastLoss < firstLoss / 10)
    }
}
