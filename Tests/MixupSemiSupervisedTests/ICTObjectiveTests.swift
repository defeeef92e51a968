import MixupKit
import Testing

@Suite struct ICTObjectiveTests {
    @Test func consistencyTargetsComeFromTheTeacherAndTrainOnlyTheStudent() throws {
        var generator = SeededGenerator(seed: 1)
        let student = Models.mlp(inputSize: 4, hiddenSizes: [8], classCount: 3, using: &generator)
        let objective = ICTObjective(
            mixing: try .manifoldMixup(alpha: 1), teacherDecay: 0.99,
            consistencyWeight: SigmoidRampUp(maximum: 10, length: 10))
        let batch = TrainingBatch(
            inputs: Tensor.normal([4, 4], using: &generator), labels: [0, 1, 2, 0], classCount: 3,
            unlabelled: Tensor.normal([6, 4], using: &generator), epoch: 0, stepInEpoch: 0, globalStep: 5,
            totalSteps: 10)
        var context = ForwardContext(isTraining: true)
        let result = try objective.loss(model: student, batch: batch, context: &context, using: &generator)
        #expect(result.loss.scalar.isFinite)
        #expect(result.metrics["consistency"] != nil)
        #expect(
            result.metrics["consistency_weight"]
                == Double(Float(SigmoidRampUp(maximum: 10, length: 10).weight(atStep: 5))))
        result.loss.backward()
        let teacherModel = try #require(objective.teacher.model)
        #expect(student.allParameters.allSatisfy { $0.gradient != nil })
        #expect(teacherModel.allParameters.allSatisfy { $0.gradient == nil }, "the teacher never receives gradients")
        // The teacher started as a copy of the student.
        for (s, t) in zip(student.allParameters, teacherModel.allParameters) {
            #expect(s.value.scalars == t.value.scalars)
        }
    }

    /// Without mixing (`.erm`) and with the teacher still a copy of the student, the consistency is the squared error
    /// between the student's probabilities and the consistency targets: 0 unsharpened, and exactly the distance to
    /// the sharpened probabilities with a target temperature. A temperature that is not positive is named.
    @Test func targetTemperatureSharpensTheTeachersPredictions() throws {
        var generator = SeededGenerator(seed: 4)
        let unlabelled = Tensor.normal([6, 4], using: &generator)
        let batch = TrainingBatch(
            inputs: Tensor.normal([3, 4], using: &generator), labels: [0, 1, 2], classCount: 3,
            unlabelled: unlabelled, epoch: 0, stepInEpoch: 0, globalStep: 5, totalSteps: 10)
        func consistency(_ temperature: Float?) throws -> (value: Double, expected: Double) {
            var modelGenerator = SeededGenerator(seed: 5)
            let student = Models.mlp(inputSize: 4, hiddenSizes: [8], classCount: 3, using: &modelGenerator)
            let objective = ICTObjective(
                mixing: .erm, consistencyWeight: SigmoidRampUp(maximum: 1, length: 1), targetTemperature: temperature)
            try objective.prepare(model: student)
            var context = ForwardContext(isTraining: true)
            var lossGenerator = SeededGenerator(seed: 6)
            let result = try objective.loss(model: student, batch: batch, context: &context, using: &lossGenerator)
            var plain = ForwardContext(isTraining: true)
            let logits = withoutGradients { student(unlabelled, context: &plain) }
            let probabilities = logits.softmax()
            let targets = temperature.map { probabilities.sharpened(temperature: $0) } ?? probabilities
            let expected = SemiSupervisedLosses.probabilityMSE(logits: logits, targets: targets).scalar
            return (try #require(result.metrics["consistency"]), Double(expected))
        }
        let unsharpened = try consistency(nil)
        #expect(abs(unsharpened.value) < 1e-9 && abs(unsharpened.expected) < 1e-9)
        let sharpened = try consistency(0.5)
        #expect(sharpened.value > 1e-4, "sharpening moves the targets away from the student's own predictions")
        #expect(abs(sharpened.value - sharpened.expected) < 1e-6)
        #expect(
            ICTObjective(mixing: .erm, consistencyWeight: SigmoidRampUp(maximum: 1, length: 1), targetTemperature: 0.5)
                .name == "ict-erm-sharpened0.5")
        for bad: Float in [0, -1, .nan, .infinity] {
            do {
                _ = try consistency(bad)
                Issue.record("target temperature \(bad) was accepted")
            } catch let error as TrainingError {
                #expect(error.description.contains("\(bad)"))
            }
        }
    }

    @Test func checkpointRoundTripRestoresTheTeacher() throws {
        var generator = SeededGenerator(seed: 2)
        let student = Models.mlp(inputSize: 3, hiddenSizes: [4], classCount: 2, using: &generator)
        let first = ICTObjective(
            mixing: try .mixup(alpha: 1),
            consistencyWeight: SigmoidRampUp(maximum: 1, length: 1))
        try first.prepare(model: student)
        first.didUpdate(model: student, globalStep: 1)
        let second = ICTObjective(
            mixing: try .mixup(alpha: 1),
            consistencyWeight: SigmoidRampUp(maximum: 1, length: 1))
        try second.prepare(model: student)
        try second.restore(checkpointTensors: first.checkpointTensors())
        for (a, b) in zip(
            try #require(first.teacher.model).allParameters, try #require(second.teacher.model).allParameters)
        {
            #expect(a.value.scalars == b.value.scalars)
        }
        #expect(throws: TrainingError.self) {
            try second.restore(checkpointTensors: ["teacher.initialized": Tensor(1)])
        }
    }

    @Test func missingUnlabelledDataIsAClearError() throws {
        var generator = SeededGenerator(seed: 3)
        let student = Models.mlp(inputSize: 2, hiddenSizes: [4], classCount: 2, using: &generator)
        let objective = ICTObjective(
            mixing: try .mixup(alpha: 1),
            consistencyWeight: SigmoidRampUp(maximum: 1, length: 1))
        let batch = TrainingBatch(
            inputs: Tensor.zeros([2, 2]), labels: [0, 1], classCount: 2, unlabelled: nil, epoch: 0, stepInEpoch: 0,
            globalStep: 0, totalSteps: 1)
        var context = ForwardContext(isTraining: true)
        do {
            _ = try objective.loss(model: student, batch: batch, context: &context, using: &generator)
            Issue.record("ICT ran without unlabelled data")
        } catch {
            #expect(error.description.contains("unlabelled"))
        }
    }
}
