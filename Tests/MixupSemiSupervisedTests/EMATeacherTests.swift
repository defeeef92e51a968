import MixupKit
import Testing
import _MixupTestSupport

@Suite struct EMATeacherTests {
    static func pair() -> (student: MixableSequential, teacher: EMATeacher) {
        var a = SeededGenerator(seed: 1)
        let student = Models.mlp(inputSize: 3, hiddenSizes: [4], classCount: 2, batchNorm: true, using: &a)
        return (student, EMATeacher(decay: 0.9))
    }

    static func teacherModel(_ teacher: EMATeacher) throws -> any MixableModel { try #require(teacher.model) }

    @Test func theTeacherIsACopyOfTheStudentNotAnotherNetwork() throws {
        let (student, teacher) = Self.pair()
        #expect(teacher.model == nil)
        teacher.update(from: student, globalStep: 1)
        let model = try Self.teacherModel(teacher)
        #expect(model !== student)
        for (s, t) in zip(student.allParameters, model.allParameters) {
            #expect(s.value.scalars == t.value.scalars)
            #expect(s !== t)
        }
        let made = try EMATeacher(student: student, decay: 0.5)
        #expect(try Self.teacherModel(made).namedParameters().map(\.name) == student.namedParameters().map(\.name))
    }

    @Test func updateIsTheExponentialMovingAverage() throws {
        let (student, teacher) = Self.pair()
        try teacher.copyWeights(from: student)
        let before = try Self.teacherModel(teacher).allParameters.map(\.value.scalars)
        for parameter in student.allParameters { parameter.value = parameter.value + 1 }
        // α = min(1 − 1/(t + 1), decay) = min(0.99, 0.9) = 0.9 at step 99.
        teacher.update(from: student, globalStep: 99)
        for (index, t) in try Self.teacherModel(teacher).allParameters.enumerated() {
            let student = student.allParameters[index].value.scalars
            let expected = zip(before[index], student).map { 0.9 * $0 + 0.1 * $1 }
            expectClose(t.value.scalars, expected, tolerance: 1e-6)
        }
        // Early steps follow the student closely: at step 1, α = min(0.5, 0.9) = 0.5.
        try teacher.copyWeights(from: student)
        for parameter in student.allParameters { parameter.value = parameter.value + 2 }
        teacher.update(from: student, globalStep: 1)
        let first = try Self.teacherModel(teacher).allParameters[0].value.scalars
        let target = student.allParameters[0].value.scalars
        expectClose(first, target.map { $0 - 1 }, tolerance: 1e-5)
    }

    @Test func buffersAreCopiedAndPredictionsCarryNoGradient() throws {
        let (student, teacher) = Self.pair()
        var context = ForwardContext(isTraining: true)
        var generator = SeededGenerator(seed: 3)
        _ = student(Tensor.normal([8, 3], using: &generator), context: &context)
        teacher.update(from: student, globalStep: 1)
        teacher.update(from: student, globalStep: 2)
        for (s, t) in zip(student.namedBuffers(), try Self.teacherModel(teacher).namedBuffers()) {
            #expect(s.buffer.value.scalars == t.buffer.value.scalars)
        }
        let input = Parameter(Tensor.normal([2, 3], using: &generator)).tracked
        var inference = ForwardContext.inference
        let probabilities = try teacher.probabilities(input, student: student, context: &inference)
        #expect(!probabilities.requiresGradient)
        #expect(probabilities.shape == [2, 2])
    }

    /// During training the teacher normalises with batch statistics, like the student: with a freshly copied student
    /// (running statistics still at their initial 0/1) its training-mode predictions equal the student's, not the
    /// eval-mode ones.
    @Test func trainingModePredictionsUseBatchStatistics() throws {
        let (student, teacher) = Self.pair()
        var generator = SeededGenerator(seed: 5)
        let input = Tensor.normal([16, 3], mean: 3, standardDeviation: 4, using: &generator)
        var training = ForwardContext(isTraining: true)
        let teacherProbabilities = try teacher.probabilities(input, student: student, context: &training)
        var studentContext = ForwardContext(isTraining: true)
        let studentProbabilities = withoutGradients { student(input, context: &studentContext).softmax() }
        expectClose(teacherProbabilities, studentProbabilities, tolerance: 1e-5)
        var inference = ForwardContext.inference
        let evalMode = try teacher.probabilities(input, student: student, context: &inference)
        #expect(zip(evalMode.scalars, teacherProbabilities.scalars).contains { abs($0 - $1) > 1e-3 })
    }

    @Test func checkpointRoundTripAndErrors() throws {
        let (student, teacher) = Self.pair()
        try teacher.attach(to: student)
        for parameter in student.allParameters { parameter.value = parameter.value + 1 }
        teacher.update(from: student, globalStep: 50)
        let saved = teacher.checkpointTensors()
        #expect(saved["teacher.initialized"]?.scalar == 1)
        let other = EMATeacher(decay: 0.9)
        #expect(throws: TrainingError.self) { try other.restore(saved) }
        try other.attach(to: student)
        try other.restore(saved)
        for (a, b) in zip(try Self.teacherModel(teacher).allParameters, try Self.teacherModel(other).allParameters) {
            #expect(a.value.scalars == b.value.scalars)
        }
        var broken = saved
        let weightKey = try #require(saved.keys.sorted().first { $0.hasSuffix(".weight") })
        broken.removeValue(forKey: weightKey)
        let before = try Self.teacherModel(other).allParameters.map(\.value.scalars)
        #expect(throws: TrainingError.self) { try other.restore(broken) }
        #expect(try Self.teacherModel(other).allParameters.map(\.value.scalars) == before, "nothing changed")
    }

    /// A layer written before copies existed.
    final class LegacyLayer: Layer {
        func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor { input }
    }

    @Test func aStudentThatCannotBeCopiedIsAClearError() {
        let student = MixableSequential([LegacyLayer()], mixPoints: [.input])
        #expect(throws: LayerCopyError.notCopyable(layerType: "LegacyLayer")) {
            try EMATeacher(student: student, decay: 0.9)
        }
        var context = ForwardContext(isTraining: true)
        do {
            _ = try EMATeacher(decay: 0.9).probabilities(Tensor.zeros([1, 2]), student: student, context: &context)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("LegacyLayer"))
        }
    }
}
