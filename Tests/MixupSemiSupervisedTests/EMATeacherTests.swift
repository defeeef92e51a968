import MixupKit
import Testing
import _MixupTestSupport

@Suite struct EMATeacherTests {
    static func pair() -> (student: MixableSequential, teacher: EMATeacher) {
        var a = SeededGenerator(seed: 1)
        var b = SeededGenerator(seed: 2)
        let student = Models.mlp(inputSize: 3, hiddenSizes: [4], classCount: 2, batchNorm: true, using: &a)
        return (
            student,
            EMATeacher(
                model: Models.mlp(inputSize: 3, hiddenSizes: [4], classCount: 2, batchNorm: true, using: &b), decay: 0.9
            )
        )
    }

    @Test func firstUpdateCopiesTheStudent() {
        let (student, teacher) = Self.pair()
        teacher.update(from: student, globalStep: 1)
        for (s, t) in zip(student.allParameters, teacher.model.allParameters) {
            #expect(s.value.scalars == t.value.scalars)
        }
    }

    @Test func updateIsTheExponentialMovingAverage() {
        let (student, teacher) = Self.pair()
        teacher.copyWeights(from: student)
        let before = teacher.model.allParameters.map(\.value.scalars)
        for parameter in student.allParameters { parameter.value = parameter.value + 1 }
        // α = min(1 − 1/(t + 1), decay) = min(0.99, 0.9) = 0.9 at step 99.
        teacher.update(from: student, globalStep: 99)
        for (index, t) in teacher.model.allParameters.enumerated() {
            let student = student.allParameters[index].value.scalars
            let expected = zip(before[index], student).map { 0.9 * $0 + 0.1 * $1 }
            expectClose(t.value.scalars, expected, tolerance: 1e-6)
        }
        // Early steps follow the student closely: at step 1, α = min(0.5, 0.9) = 0.5.
        teacher.copyWeights(from: student)
        for parameter in student.allParameters { parameter.value = parameter.value + 2 }
        teacher.update(from: student, globalStep: 1)
        let first = teacher.model.allParameters[0].value.scalars
        let target = student.allParameters[0].value.scalars
        expectClose(first, target.map { $0 - 1 }, tolerance: 1e-5)
    }

    @Test func buffersAreCopiedAndPredictionsCarryNoGradient() {
        let (student, teacher) = Self.pair()
        var context = ForwardContext(isTraining: true)
        var generator = SeededGenerator(seed: 3)
        _ = student(Tensor.normal([8, 3], using: &generator), context: &context)
        teacher.update(from: student, globalStep: 1)
        teacher.update(from: student, globalStep: 2)
        for (s, t) in zip(student.namedBuffers(), teacher.model.namedBuffers()) {
            #expect(s.buffer.value.scalars == t.buffer.value.scalars)
        }
        let input = Parameter(Tensor.normal([2, 3], using: &generator)).tracked
        var inference = ForwardContext.inference
        let probabilities = teacher.probabilities(input, student: student, context: &inference)
        #expect(!probabilities.requiresGradient)
        #expect(probabilities.shape == [2, 2])
    }

    /// During training the teacher normalises with batch statistics, like the student: with a freshly copied student
    /// (running statistics still at their initial 0/1) its training-mode predictions equal the student's, not the
    /// eval-mode ones.
    @Test func trainingModePredictionsUseBatchStatistics() {
        let (student, teacher) = Self.pair()
        var generator = SeededGenerator(seed: 5)
        let input = Tensor.normal([16, 3], mean: 3, standardDeviation: 4, using: &generator)
        var training = ForwardContext(isTraining: true)
        let teacherProbabilities = teacher.probabilities(input, student: student, context: &training)
        var studentContext = ForwardContext(isTraining: true)
        let studentProbabilities = withoutGradients { student(input, context: &studentContext).softmax() }
        expectClose(teacherProbabilities, studentProbabilities, tolerance: 1e-5)
        var inference = ForwardContext.inference
        let evalMode = teacher.probabilities(input, student: student, context: &inference)
        #expect(zip(evalMode.scalars, teacherProbabilities.scalars).contains { abs($0 - $1) > 1e-3 })
    }
}
