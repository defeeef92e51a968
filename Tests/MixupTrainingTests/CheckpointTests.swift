import Foundation
import MixupKit
import Testing

/// An objective with one checkpointed tensor; `failRestore` makes restoring throw.
final class TeacherObjective: TrainingObjective {
    let base = SupervisedObjective(regularizer: .erm)
    var teacher = Tensor(shape: [3], scalars: [1, 2, 3])
    var failRestore = false
    var name: String { "teacher" }

    func loss(
        model: any MixableModel, batch: TrainingBatch, context: inout ForwardContext,
        using generator: inout SeededGenerator
    ) throws(TrainingError) -> ObjectiveResult {
        try base.loss(model: model, batch: batch, context: &context, using: &generator)
    }

    func checkpointTensors() -> [String: Tensor] { ["teacher": teacher] }

    func restore(checkpointTensors: [String: Tensor]) throws(TrainingError) {
        if failRestore { throw .checkpoint("teacher refused") }
        guard let saved = checkpointTensors["teacher"] else { throw .checkpoint("no teacher") }
        teacher = saved
    }
}

@Suite struct CheckpointTests {
    /// A BatchNorm MLP after two Adam steps (so every kind of state is non-trivial).
    static func trainedState(seed: UInt64 = 1) throws -> (MixableSequential, Adam) {
        let model = TrainingFixtures.mlp(seed: seed, hidden: [6], batchNorm: true)
        let optimizer = Adam(parameters: model.allParameters, learningRate: 0.01)
        let trainer = TrainingFixtures.trainer(
            model: model, optimizer: optimizer, train: TrainingFixtures.moons(perClass: 8, seed: 2),
            configuration: TrainerConfiguration(epochs: 1, batchSize: 8, seed: 3))
        try trainer.run()
        return (model, optimizer)
    }

    static func probe(_ model: any Layer) -> [Float] {
        model.inferring(Tensor(shape: [3, 2], scalars: [0.1, -0.4, 1.2, 0.3, -0.8, 0.9])).scalars
    }

    static func optimizerScalars(_ optimizer: any Optimizer) -> [String: [Float]] {
        optimizer.state().mapValues(\.scalars)
    }

    @Test func writeAndReadRoundTripEveryTensorAndThePosition() throws {
        let (model, optimizer) = try Self.trainedState()
        let objective = TeacherObjective()
        let checkpoint = Checkpoint(
            model: model, optimizer: optimizer, objective: objective, epoch: 2, stepInEpoch: 3, globalStep: 11, seed: 7,
            metadata: ["recipe": "unit", "strategy": "erm"])
        let names = Set(checkpoint.tensors.keys)
        #expect(names.contains("model.0.1.weight") && names.contains("model.0.2.running_mean"), "\(names.sorted())")
        #expect(names.contains("optimizer.step") && names.contains("objective.teacher"), "\(names.sorted())")
        #expect(names.count == model.namedParameters().count + model.namedBuffers().count + optimizer.state().count + 1)

        let directory = TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = (directory as NSString).appendingPathComponent("checkpoint.safetensors")
        try checkpoint.write(to: path)
        let read = try Checkpoint(contentsOf: path)
        #expect((read.epoch, read.stepInEpoch, read.globalStep, read.seed) == (2, 3, 11, 7))
        #expect(read.metadata["recipe"] == "unit" && read.metadata["strategy"] == "erm")
        #expect(Set(read.tensors.keys) == names)
        for (name, tensor) in checkpoint.tensors {
            #expect(read.tensors[name]?.shape == tensor.shape, "\(name)")
            #expect(read.tensors[name]?.scalars == tensor.scalars, "\(name)")
        }
        // Writing again over the file replaces it.
        var later = read
        later.epoch = 3
        try later.write(to: path)
        #expect(try Checkpoint(contentsOf: path).epoch == 3)
    }

    @Test func restoreIntoAFreshModelGivesIdenticalOutputsAndState() throws {
        let (model, optimizer) = try Self.trainedState(seed: 1)
        let teacher = TeacherObjective()
        teacher.teacher = Tensor(shape: [3], scalars: [4, 5, 6])
        let checkpoint = Checkpoint(
            model: model, optimizer: optimizer, objective: teacher, epoch: 1, stepInEpoch: 0, globalStep: 2, seed: 0)
        let fresh = TrainingFixtures.mlp(seed: 42, hidden: [6], batchNorm: true)
        let freshOptimizer = Adam(parameters: fresh.allParameters, learningRate: 0.01)
        let freshObjective = TeacherObjective()
        #expect(Self.probe(fresh) != Self.probe(model))
        try checkpoint.restore(model: fresh, optimizer: freshOptimizer, objective: freshObjective)
        #expect(Self.probe(fresh) == Self.probe(model))
        #expect(TrainingFixtures.state(of: fresh) == TrainingFixtures.state(of: model))
        #expect(Self.optimizerScalars(freshOptimizer) == Self.optimizerScalars(optimizer))
        #expect(freshObjective.teacher.scalars == [4, 5, 6])
    }

    /// Restores a damaged checkpoint into a fresh model and expects an error naming `name` and nothing changed.
    func expectRejected(
        _ checkpoint: Checkpoint, naming words: [String], objective: TeacherObjective? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let fresh = TrainingFixtures.mlp(seed: 42, hidden: [6], batchNorm: true)
        let freshOptimizer = Adam(parameters: fresh.allParameters, learningRate: 0.01)
        // Give the optimizer some state of its own, so "unchanged" means something.
        let trainer = TrainingFixtures.trainer(
            model: fresh, optimizer: freshOptimizer, train: TrainingFixtures.moons(perClass: 4, seed: 5),
            configuration: TrainerConfiguration(epochs: 1, batchSize: 8))
        try trainer.run()
        let (modelBefore, optimizerBefore) = (TrainingFixtures.state(of: fresh), Self.optimizerScalars(freshOptimizer))
        let error = try #require(
            throws: TrainingError.self, sourceLocation: sourceLocation,
            performing: { try checkpoint.restore(model: fresh, optimizer: freshOptimizer, objective: objective) })
        for word in words {
            #expect(
                error.description.contains(word), "\"\(error)\" should name \(word)", sourceLocation: sourceLocation)
        }
        #expect(TrainingFixtures.state(of: fresh) == modelBefore, "model changed", sourceLocation: sourceLocation)
        #expect(
            Self.optimizerScalars(freshOptimizer) == optimizerBefore, "optimizer changed",
            sourceLocation: sourceLocation)
    }

    @Test func missingTensorIsNamedAndChangesNothing() throws {
        let (model, optimizer) = try Self.trainedState()
        var checkpoint = Checkpoint(
            model: model, optimizer: optimizer, objective: nil, epoch: 1, stepInEpoch: 0, globalStep: 2, seed: 0)
        checkpoint.tensors["model.1.bias"] = nil
        try expectRejected(checkpoint, naming: ["model.1.bias"])
    }

    @Test func shapeMismatchIsNamedAndChangesNothing() throws {
        let (model, optimizer) = try Self.trainedState()
        var checkpoint = Checkpoint(
            model: model, optimizer: optimizer, objective: nil, epoch: 1, stepInEpoch: 0, globalStep: 2, seed: 0)
        checkpoint.tensors["model.1.weight"] = Tensor(shape: [2, 5], scalars: Array(repeating: 0, count: 10))
        try expectRejected(checkpoint, naming: ["model.1.weight", "[2, 5]", "[2, 6]"])
    }

    @Test func badOptimizerStateChangesNothing() throws {
        let (model, optimizer) = try Self.trainedState()
        var checkpoint = Checkpoint(
            model: model, optimizer: optimizer, objective: nil, epoch: 1, stepInEpoch: 0, globalStep: 2, seed: 0)
        // The last moment slot has the wrong shape: Adam has already loaded "step" and earlier slots by then.
        let lastSlot = try #require(checkpoint.tensors.keys.filter { $0.hasPrefix("optimizer.v.") }.max())
        checkpoint.tensors[lastSlot] = Tensor(shape: [1], scalars: [0])
        try expectRejected(checkpoint, naming: [String(lastSlot.dropFirst("optimizer.".count))])
    }

    @Test func failingObjectiveRestoreChangesNothing() throws {
        let (model, optimizer) = try Self.trainedState()
        let checkpoint = Checkpoint(
            model: model, optimizer: optimizer, objective: TeacherObjective(), epoch: 1, stepInEpoch: 0, globalStep: 2,
            seed: 0)
        let objective = TeacherObjective()
        objective.failRestore = true
        try expectRejected(checkpoint, naming: ["teacher refused"], objective: objective)
    }

    @Test func theFileIsValidSafetensors() throws {
        let (model, optimizer) = try Self.trainedState()
        let checkpoint = Checkpoint(
            model: model, optimizer: optimizer, objective: nil, epoch: 4, stepInEpoch: 1, globalStep: 9, seed: 12,
            metadata: ["recipe": "unit"])
        let directory = TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = (directory as NSString).appendingPathComponent("c.safetensors")
        try checkpoint.write(to: path)
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        try #require(bytes.count >= 8)
        let headerLength = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        try #require(8 + headerLength <= bytes.count)
        let header = try #require(
            try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)])) as? [String: Any])
        let metadata = try #require(header["__metadata__"] as? [String: String])
        #expect(metadata["format"] == "mixupkit-checkpoint-1")
        #expect(metadata["epoch"] == "4" && metadata["step_in_epoch"] == "1" && metadata["global_step"] == "9")
        #expect(metadata["seed"] == "12" && metadata["recipe"] == "unit")
        let data = Array(bytes[(8 + headerLength)...])
        var covered = 0
        #expect(header.count - 1 == checkpoint.tensors.count)
        for (name, tensor) in checkpoint.tensors {
            let entry = try #require(header[name] as? [String: Any], "\(name) is missing from the header")
            #expect(entry["dtype"] as? String == "F32")
            #expect((entry["shape"] as? [NSNumber])?.map(\.intValue) == tensor.shape, "\(name)")
            let offsets = try #require((entry["data_offsets"] as? [NSNumber])?.map(\.intValue))
            try #require(offsets.count == 2 && offsets[0] <= offsets[1] && offsets[1] <= data.count)
            #expect(offsets[1] - offsets[0] == 4 * tensor.count, "\(name)")
            let values = stride(from: offsets[0], to: offsets[1], by: 4).map { i in
                Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(data[i + $1]) << (8 * UInt32($1)) })
            }
            #expect(values == tensor.scalars, "\(name)")
            covered += offsets[1] - offsets[0]
        }
        #expect(covered == data.count, "the data section holds exactly the tensors")
    }

    @Test func aPlainSafetensorsFileIsNotACheckpoint() throws {
        let directory = TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = (directory as NSString).appendingPathComponent("weights.safetensors")
        try SafeTensors(tensors: ["w": .init(shape: [1], values: [1])]).write(to: path)
        let error = try #require(throws: TrainingError.self) { try Checkpoint(contentsOf: path) }
        #expect(error.description.contains(path) && error.description.contains("not a MixupKit checkpoint"), "\(error)")
        let missing = (directory as NSString).appendingPathComponent("absent.safetensors")
        let readError = try #require(throws: TrainingError.self) { try Checkpoint(contentsOf: missing) }
        #expect(readError.description.contains(missing), "\(readError)")
    }
}
