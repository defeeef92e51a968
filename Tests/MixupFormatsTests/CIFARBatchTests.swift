import MixupFormats
import Testing

@Suite struct CIFARBatchTests {
    /// A record: label byte(s) then an image whose every byte is `fill`.
    private func record(labels: [UInt8], fill: UInt8) -> [UInt8] {
        labels + [UInt8](repeating: fill, count: 3072)
    }

    @Test func readsCIFAR10Records() throws {
        var bytes = record(labels: [3], fill: 10) + record(labels: [9], fill: 20) + record(labels: [0], fill: 30)
        bytes[1 + 1024] = 99  // first green byte of image 0
        let batch = try CIFARBatch(bytes: bytes, variant: .cifar10)
        #expect(batch.count == 3)
        #expect(batch.labels == [3, 9, 0])
        #expect(batch.coarseLabels == nil)
        #expect(batch.pixels.count == 3 * 3072)
        #expect(batch.pixels[1024] == 99)
        #expect(batch.image(at: 2).allSatisfy { $0 == 30 })
        #expect(CIFARBatch.imageShape == [3, 32, 32])
    }

    @Test func readsCIFAR100RecordsFromAFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("train.bin")
        try BinaryFile.writeAtomically(record(labels: [19, 99], fill: 1) + record(labels: [0, 42], fill: 2), to: path)
        let batch = try CIFARBatch(path: path, variant: .cifar100)
        #expect(batch.labels == [99, 42])
        #expect(batch.coarseLabels == [19, 0])
        #expect(Array(batch.image(at: 1).prefix(2)) == [2, 2])
    }

    @Test func sizeNotAMultipleOfTheRecordSizeIsAnError() throws {
        let bytes = record(labels: [1], fill: 0) + [0, 0]
        let error = try #require(formatError { try CIFARBatch(bytes: bytes, variant: .cifar10) })
        guard case .sizeMismatch(nil, _, 3073, 3075) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        // A CIFAR-10 file read as CIFAR-100 has the wrong record size too.
        let wrongVariant = formatError { try CIFARBatch(bytes: record(labels: [1], fill: 0), variant: .cifar100) }
        #expect(wrongVariant?.caseName == "sizeMismatch")
        #expect(formatError { try CIFARBatch(bytes: [], variant: .cifar10) }?.caseName == "sizeMismatch")
    }

    @Test func labelOutOfRangeIsAnError() throws {
        let bytes = record(labels: [1], fill: 0) + record(labels: [10], fill: 0)
        let error = try #require(formatError { try CIFARBatch(bytes: bytes, variant: .cifar10) })
        #expect(error == .invalidLabel(file: nil, record: 1, value: 10, limit: 10))
        let coarse = formatError { try CIFARBatch(bytes: record(labels: [20, 5], fill: 0), variant: .cifar100) }
        #expect(coarse == .invalidLabel(file: nil, record: 0, value: 20, limit: 20))
    }

    @Test func errorsFromAFileNameThePath() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("data_batch_1.bin")
        try BinaryFile.writeAtomically([1, 2, 3], to: path)
        let error = try #require(formatError { try CIFARBatch(path: path, variant: .cifar10) })
        #expect(error.file == path)
        #expect(error.description.hasPrefix(path + ": "))
    }
}
