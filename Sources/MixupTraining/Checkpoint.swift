import MixupFormats
import MixupMixing
import MixupNN
import MixupTensor

/// A training checkpoint in the safetensors format, so Python users can load the weights
/// (`safetensors.torch.load_file`): model parameters and buffers under `model.<name>` (PyTorch-style names such as
/// `model.0.0.weight`), optimizer state under `optimizer.<name>`, objective state (e.g. an EMA teacher) under
/// `objective.<name>`, and the training position in the metadata.
///
/// Files are written atomically (a temporary file renamed over the old one), so an interrupted write never destroys
/// the previous checkpoint.
public struct Checkpoint {
    /// Where training resumes: the next epoch and the next step within it.
    public var epoch: Int
    /// The next step within ``epoch``.
    public var stepInEpoch: Int
    /// Optimizer steps taken so far.
    public var globalStep: Int
    /// The run's seed (resuming with another seed would not reproduce the run).
    public var seed: UInt64
    /// Free-form metadata (recipe, strategy, …).
    public var metadata: [String: String]
    /// Every tensor by its full name.
    public var tensors: [String: Tensor]

    static let formatTag = "mixupkit-checkpoint-1"

    /// The metadata keys `--resume` requires to match between the checkpoint and the run, when the run sets them.
    public static let verifiedKeys = [
        "recipe", "strategy", "batch_size", "unlabelled_batch_size", "data_limit", "training_samples", "architecture",
    ]

    /// The model's architecture as its parameter and buffer names with their shapes (`0.weight[128,2] 0.bias[128] …`).
    public static func architecture(of model: any Layer) -> String {
        let slots =
            model.namedParameters().map { ($0.name, $0.parameter.value.shape) }
            + model.namedBuffers().map { ($0.name, $0.buffer.value.shape) }
        return slots.map { "\($0.0)[\($0.1.map(String.init).joined(separator: ","))]" }.joined(separator: " ")
    }

    /// Throws unless every key of ``verifiedKeys`` that `run` sets has the same value in this checkpoint.
    ///
    /// - Throws: ``TrainingError/checkpointMismatch(path:field:checkpoint:run:)`` naming the first differing field and
    ///   both values.
    public func verify(matching run: [String: String], path: String) throws(TrainingError) {
        for key in Self.verifiedKeys {
            guard let expected = run[key] else { continue }
            let saved = metadata[key]
            guard saved == expected else {
                throw .checkpointMismatch(
                    path: path, field: key.replacingOccurrences(of: "_", with: " "),
                    checkpoint: saved ?? "(not recorded)",
                    run: expected)
            }
        }
    }

    /// Captures the state of a run.
    public init(
        model: any Layer, optimizer: any Optimizer, objective: (any TrainingObjective)?, epoch: Int, stepInEpoch: Int,
        globalStep: Int, seed: UInt64, metadata: [String: String] = [:]
    ) {
        var tensors: [String: Tensor] = [:]
        for (name, parameter) in model.namedParameters() { tensors["model.\(name)"] = parameter.value }
        for (name, buffer) in model.namedBuffers() { tensors["model.\(name)"] = buffer.value }
        for (name, tensor) in optimizer.state() { tensors["optimizer.\(name)"] = tensor }
        for (name, tensor) in objective?.checkpointTensors() ?? [:] { tensors["objective.\(name)"] = tensor }
        self.tensors = tensors
        self.epoch = epoch
        self.stepInEpoch = stepInEpoch
        self.globalStep = globalStep
        self.seed = seed
        self.metadata = metadata
    }

    /// Writes the checkpoint atomically to `path`.
    public func write(to path: String) throws(TrainingError) {
        var meta = metadata
        meta["format"] = Self.formatTag
        meta["epoch"] = String(epoch)
        meta["step_in_epoch"] = String(stepInEpoch)
        meta["global_step"] = String(globalStep)
        meta["seed"] = String(seed)
        // The optimizer's state tensors, so a resume can tell state that is missing from state never created.
        meta["optimizer_state"] = tensors.keys.filter { $0.hasPrefix("optimizer.") }.map { String($0.dropFirst(10)) }
            .sorted().joined(separator: ",")
        let file = SafeTensors(
            tensors: tensors.mapValues { SafeTensors.Tensor(shape: $0.shape, values: $0.scalars) }, metadata: meta)
        do {
            try file.write(to: path)
        } catch {
            throw .checkpoint("could not write \(path): \(error)")
        }
    }

    /// Reads a checkpoint written by ``write(to:)``.
    ///
    /// - Throws: ``TrainingError/checkpoint(_:)`` naming the file and what was wrong.
    public init(contentsOf path: String) throws(TrainingError) {
        let file: SafeTensors
        do {
            file = try SafeTensors(path: path)
        } catch {
            throw .checkpoint("could not read \(path): \(error)")
        }
        guard file.metadata["format"] == Self.formatTag else {
            throw .checkpoint("\(path) is not a MixupKit checkpoint (format \(file.metadata["format"] ?? "missing"))")
        }
        func integer(_ key: String) throws(TrainingError) -> Int {
            guard let text = file.metadata[key], let value = Int(text) else {
                throw .checkpoint("\(path): metadata \"\(key)\" is missing or not an integer")
            }
            return value
        }
        epoch = try integer("epoch")
        stepInEpoch = try integer("step_in_epoch")
        globalStep = try integer("global_step")
        guard let seedText = file.metadata["seed"], let seed = UInt64(seedText) else {
            throw .checkpoint("\(path): metadata \"seed\" is missing")
        }
        self.seed = seed
        metadata = file.metadata
        tensors = file.tensors.mapValues { Tensor(shape: $0.shape, scalars: $0.values) }
    }

    /// Loads the saved weights, buffers, optimizer and objective state into live objects.
    ///
    /// - Throws: ``TrainingError/checkpoint(_:)`` naming the first missing tensor or shape mismatch; nothing is
    ///   changed in that case.
    /// - Throws: ``TrainingError/optimizerState(path:_:)`` when optimizer state the checkpoint lists is missing or
    ///   does not fit (a missing state is never silently reset).
    public func restore(
        model: any Layer, optimizer: any Optimizer, objective: (any TrainingObjective)?, path: String = "the checkpoint"
    ) throws(TrainingError) {
        let slots = model.namedParameters() + model.namedBuffers().map { (name: $0.name, parameter: $0.buffer) }
        var values: [(Parameter, Tensor)] = []
        for (name, parameter) in slots {
            guard let saved = tensors["model.\(name)"] else {
                throw .checkpoint("the checkpoint has no tensor model.\(name)")
            }
            guard saved.shape == parameter.value.shape else {
                throw .checkpoint(
                    "model.\(name) has shape \(saved.shape) in the checkpoint but \(parameter.value.shape) in the model"
                )
            }
            values.append((parameter, saved))
        }
        // Optimizers load slot by slot, so a failure part-way would leave a mix of old and new state: keep the old
        // state and put it back if anything below fails.
        let previousOptimizerState = optimizer.state()
        let optimizerState = tensors.filter { $0.key.hasPrefix("optimizer.") }
        if let listed = metadata["optimizer_state"] {
            for name in listed.split(separator: ",") where optimizerState["optimizer.\(name)"] == nil {
                throw .optimizerState(
                    path: path, OptimizerStateError("optimizer state \"\(name)\" is listed but missing from the file"))
            }
        }
        do {
            try optimizer.load(
                state: Dictionary(uniqueKeysWithValues: optimizerState.map { (String($0.key.dropFirst(10)), $0.value) })
            )
        } catch {
            try? optimizer.load(state: previousOptimizerState)
            throw .optimizerState(path: path, error)
        }
        let previousValues = values.map { ($0.0, $0.0.value) }
        for (parameter, value) in values { parameter.value = value }
        let objectiveState = tensors.filter { $0.key.hasPrefix("objective.") }
        do {
            try objective?.restore(
                checkpointTensors: Dictionary(
                    uniqueKeysWithValues: objectiveState.map { (String($0.key.dropFirst(10)), $0.value) }))
        } catch {
            for (parameter, value) in previousValues { parameter.value = value }
            try? optimizer.load(state: previousOptimizerState)
            throw error
        }
    }
}
