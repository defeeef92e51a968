import MixupData
import MixupTensor
import Testing

@Test func keepsTheShortLastBatchByDefault() {
    var generator = SeededGenerator(seed: 1)
    let schedule = BatchSchedule(count: 10, batchSize: 4, shuffle: false, using: &generator)
    #expect(schedule.batches == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
}

@Test func dropsTheShortLastBatchWhenAsked() {
    var generator = SeededGenerator(seed: 1)
    let schedule = BatchSchedule(count: 10, batchSize: 4, shuffle: true, dropLast: true, using: &generator)
    #expect(schedule.batches.map(\.count) == [4, 4])
    let exact = BatchSchedule(count: 8, batchSize: 4, shuffle: false, dropLast: true, using: &generator)
    #expect(exact.batches.count == 2)
    let tooFew = BatchSchedule(count: 3, batchSize: 4, shuffle: false, dropLast: true, using: &generator)
    #expect(tooFew.batches.isEmpty)
}

@Test func shuffledScheduleCoversEveryIndexOnce() {
    var generator = SeededGenerator(seed: 2)
    let schedule = BatchSchedule(count: 103, batchSize: 16, shuffle: true, using: &generator)
    let visited = schedule.batches.flatMap { $0 }
    #expect(visited.count == 103)
    #expect(visited.sorted() == Array(0..<103))
    #expect(visited != Array(0..<103))
    #expect(schedule.batches.dropLast().allSatisfy { $0.count == 16 })
    #expect(schedule.batches.last?.count == 7)
}

@Test func sameSeedGivesSameOrder() {
    var first = SeededGenerator(seed: 3)
    var second = SeededGenerator(seed: 3)
    var other = SeededGenerator(seed: 4)
    let a = BatchSchedule(count: 50, batchSize: 8, shuffle: true, using: &first)
    let b = BatchSchedule(count: 50, batchSize: 8, shuffle: true, using: &second)
    let c = BatchSchedule(count: 50, batchSize: 8, shuffle: true, using: &other)
    #expect(a == b)
    #expect(a != c)
}

@Test func emptyDatasetHasNoBatches() {
    var generator = SeededGenerator(seed: 1)
    #expect(BatchSchedule(count: 0, batchSize: 4, shuffle: true, using: &generator).batches.isEmpty)
}
