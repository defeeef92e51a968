import Foundation
import MixupData
import MixupFormats
import MixupTensor
import Testing

/// Loaders on small files the tests write in each format, including gzip-compressed, corrupt and truncated input.
@Suite struct DatasetLoadersTests {
    /// A fresh temporary folder.
    static func folder(_ label: String = #function) throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent(
            "mixupkit-loaders-\(label.filter { $0.isLetter })-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A gzip member holding `bytes` in stored DEFLATE blocks (RFC 1951/1952), with its CRC-32 and length.
    static func gzipStored(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]
        var offset = 0
        repeat {
            let length = min(65_535, bytes.count - offset)
            let isFinal = offset + length == bytes.count
            out.append(isFinal ? 1 : 0)
            out += [UInt8(length & 0xff), UInt8(length >> 8), UInt8(~length & 0xff), UInt8((~length >> 8) & 0xff)]
            out += bytes[offset..<(offset + length)]
            offset += length
        } while offset < bytes.count
        let crc = CRC32.checksum(of: bytes)
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((crc >> UInt32(shift)) & 0xff)) }
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((UInt32(bytes.count) >> UInt32(shift)) & 0xff)) }
        return out
    }

    /// Writes an MNIST-style folder of `count` 4×4 images per split; image i has every pixel = 10·i, label i % 10.
    static func writeMNIST(in folder: String, count: Int, gzip: Bool) throws {
        for split in ["train", "t10k"] {
            let pixels = (0..<count).flatMap { i in [UInt8](repeating: UInt8(10 * i), count: 16) }
            let images = IDXFile(dimensions: [count, 4, 4], uint8Values: pixels).encoded()
            let labels = IDXFile(dimensions: [count], uint8Values: (0..<count).map { UInt8($0 % 10) }).encoded()
            for (name, bytes) in [("\(split)-images-idx3-ubyte", images), ("\(split)-labels-idx1-ubyte", labels)] {
                let path = (folder as NSString).appendingPathComponent(gzip ? name + ".gz" : name)
                try BinaryFile.writeAtomically(gzip ? gzipStored(bytes) : bytes, to: path)
            }
        }
    }

    @Test(arguments: [false, true])
    func mnistReadsRawAndGzipFiles(gzip: Bool) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.writeMNIST(in: folder, count: 12, gzip: gzip)
        let (train, test) = try DatasetLoaders.mnist(directory: folder)
        #expect(train.count == 12 && test.count == 12)
        #expect(train.sampleShape == [1, 4, 4])
        #expect(train.labels == (0..<12).map { $0 % 10 })
        #expect(train.inputs(at: [3]).scalars.allSatisfy { abs($0 - 30 / 255) < 1e-6 })
        let limited = try DatasetLoaders.mnist(directory: folder, limit: 5)
        #expect(limited.train.count == 5 && limited.test.count == 5)
    }

    @Test func truncatedImagesNameTheFile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.writeMNIST(in: folder, count: 4, gzip: false)
        let path = (folder as NSString).appendingPathComponent("train-images-idx3-ubyte")
        let bytes = try BinaryFile.read(path: path)
        try BinaryFile.writeAtomically(Array(bytes.dropLast(7)), to: path)
        do {
            _ = try DatasetLoaders.mnist(directory: folder)
            Issue.record("a truncated file was accepted")
        } catch {
            #expect(error.description.contains("train-images-idx3-ubyte"), "\(error)")
            #expect(error.description.contains("truncated"), "\(error)")
        }
    }

    @Test func corruptGzipChecksumNamesTheFile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.writeMNIST(in: folder, count: 4, gzip: true)
        let path = (folder as NSString).appendingPathComponent("t10k-labels-idx1-ubyte.gz")
        var bytes = try BinaryFile.read(path: path)
        bytes[bytes.count - 8] ^= 0xff  // first byte of the stored CRC-32
        try BinaryFile.writeAtomically(bytes, to: path)
        do {
            _ = try DatasetLoaders.mnist(directory: folder)
            Issue.record("a corrupt gzip file was accepted")
        } catch {
            #expect(error.description.contains("t10k-labels-idx1-ubyte.gz"), "\(error)")
        }
    }

    @Test func mismatchedCountsAndMissingFilesAreClearErrors() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.writeMNIST(in: folder, count: 4, gzip: false)
        let labels = IDXFile(dimensions: [3], uint8Values: [0, 1, 2])
        try labels.write(to: (folder as NSString).appendingPathComponent("train-labels-idx1-ubyte"))
        #expect(throws: DataError.self) { try DatasetLoaders.mnist(directory: folder) }
        do {
            _ = try DatasetLoaders.mnist(directory: folder + "/nowhere")
            Issue.record("a missing folder was accepted")
        } catch {
            #expect(error.description.contains("train-images-idx3-ubyte"))
        }
    }

    @Test func cifarReadsBatchesAndRejectsABadSize() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func record(label: UInt8, value: UInt8) -> [UInt8] { [label] + [UInt8](repeating: value, count: 3072) }
        for index in 1...5 {
            try BinaryFile.writeAtomically(
                record(label: UInt8(index), value: 51) + record(label: 0, value: 255),
                to: (folder as NSString).appendingPathComponent("data_batch_\(index).bin"))
        }
        try BinaryFile.writeAtomically(
            record(label: 9, value: 0), to: (folder as NSString).appendingPathComponent("test_batch.bin"))
        let (train, test) = try DatasetLoaders.cifar(directory: folder)
        #expect(train.count == 10 && test.count == 1)
        #expect(train.sampleShape == [3, 32, 32])
        #expect(train.labels?.prefix(2) == [1, 0])
        #expect(abs(train.inputs(at: [0]).scalars[0] - 0.2) < 1e-6)
        let bad = (folder as NSString).appendingPathComponent("data_batch_3.bin")
        try BinaryFile.writeAtomically([1, 2, 3], to: bad)
        do {
            _ = try DatasetLoaders.cifar(directory: folder)
            Issue.record("a CIFAR batch of the wrong size was accepted")
        } catch {
            #expect(error.description.contains("data_batch_3.bin"), "\(error)")
        }
    }

    @Test func csvReadsFeaturesAndLabelsAndNamesABadLine() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let good = (folder as NSString).appendingPathComponent("iris.csv")
        try "a,b,species\n1.0,2.0,setosa\n3.0,4.5,virginica\n0.5,0.5,setosa\n".write(
            toFile: good, atomically: true, encoding: .utf8)
        let dataset = try DatasetLoaders.csv(path: good)
        #expect(dataset.count == 3 && dataset.sampleShape == [2] && dataset.classCount == 2)
        #expect(dataset.labels == [0, 1, 0])
        #expect(dataset.inputs(at: [1]).scalars == [3.0, 4.5])
        let bad = (folder as NSString).appendingPathComponent("bad.csv")
        try "a,b,label\n1,2,0\n3,oops,1\n".write(toFile: bad, atomically: true, encoding: .utf8)
        do {
            _ = try DatasetLoaders.csv(path: bad)
            Issue.record("a non-numeric feature was accepted")
        } catch {
            #expect(error.description.contains("bad.csv") && error.description.contains("oops"), "\(error)")
        }
    }

    /// Rewrites one label of an MNIST-style folder written by ``writeMNIST(in:count:gzip:)``.
    static func setLabel(_ value: UInt8, at index: Int, split: String, count: Int, in folder: String) throws {
        var labels = (0..<count).map { UInt8($0 % 10) }
        labels[index] = value
        try IDXFile(dimensions: [count], uint8Values: labels).write(
            to: (folder as NSString).appendingPathComponent("\(split)-labels-idx1-ubyte"))
    }

    @Test(arguments: [(UInt8(10), "train"), (UInt8(200), "train"), (UInt8(200), "t10k")])
    func mnistLabelOutsideTheClassesIsAnErrorNamingFileIndexAndValue(value: UInt8, split: String) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.writeMNIST(in: folder, count: 12, gzip: false)
        // The bad label is beyond --limit: it must still be found, and the class count must not depend on the limit.
        try Self.setLabel(value, at: 11, split: split, count: 12, in: folder)
        let file = (folder as NSString).appendingPathComponent("\(split)-labels-idx1-ubyte")
        for limit in [nil, 5] as [Int?] {
            let error = #expect(throws: DataError.self) { try DatasetLoaders.mnist(directory: folder, limit: limit) }
            #expect(error == .invalidLabel(source: file, index: 11, value: Int(value), classCount: 10))
            #expect(error?.description == "\(file): label \(value) at index 11 is not in 0..<10")
        }
    }

    @Test func mnistHasTenClassesWhateverTheLimit() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.writeMNIST(in: folder, count: 4, gzip: true)
        let (train, test) = try DatasetLoaders.mnist(directory: folder, limit: 2)
        #expect(train.classCount == 10 && test.classCount == 10)
        #expect(train.labels == [0, 1])
    }

    @Test func idxPairInfersTheClassCountFromTheWholeFileWithinTheBound() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.writeMNIST(in: folder, count: 12, gzip: false)
        try Self.setLabel(200, at: 11, split: "train", count: 12, in: folder)
        let images = (folder as NSString).appendingPathComponent("train-images-idx3-ubyte")
        let labels = (folder as NSString).appendingPathComponent("train-labels-idx1-ubyte")
        let inferred = try DatasetLoaders.idxPair(images: images, labels: labels, name: "x", limit: 3)
        #expect(inferred.classCount == 201)
        let error = #expect(throws: DataError.self) {
            try DatasetLoaders.idxPair(
                images: images, labels: labels, name: "x", limits: ReadLimits(maxClassCount: 100))
        }
        #expect(error == .invalidLabel(source: labels, index: 11, value: 200, classCount: 100))
    }

    @Test func nanPixelInAFloatIDXIsAnErrorNamingTheFile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.writeMNIST(in: folder, count: 3, gzip: false)
        var pixels = [Float](repeating: 0.25, count: 3 * 16)
        pixels[16 + 5] = .nan
        let images = (folder as NSString).appendingPathComponent("train-images-idx3-ubyte")
        try IDXFile(dimensions: [3, 4, 4], float32Values: pixels).write(to: images)
        let error = #expect(throws: DataError.self) { try DatasetLoaders.mnist(directory: folder) }
        guard case .format(.nonFiniteIDX(let file, let record, let offset, let value)) = error else {
            Issue.record("expected a non-finite IDX error, got \(String(describing: error))")
            return
        }
        #expect(file == images && record == 1 && offset == 5 && value.isNaN)
        #expect(
            error?.description.hasPrefix("\(images): record 1, element 5: value nan") == true,
            "\(String(describing: error))")
        let allowed = try DatasetLoaders.mnist(directory: folder, allowNonFinite: true)
        #expect(allowed.train.samples[21].isNaN)
    }

    @Test func csvNaNIsAnErrorNamingFileRowAndColumn() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = (folder as NSString).appendingPathComponent("poisoned.csv")
        try "a,b,label\n1,2,0\n3,nan,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: DataError.self) { try DatasetLoaders.csv(path: path) }
        #expect(error == .format(.nonFiniteCSV(file: path, line: 3, column: 2, text: "nan")))
        #expect(error?.description.hasPrefix("\(path):3: column 2: \"nan\"") == true)
    }

    @Test func csvGzipWithTextLabelsReturnsTheClassNames() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = (folder as NSString).appendingPathComponent("cancer.csv.gz")
        let text = "2,2,malignant,benign\n1.5,2,malignant\n0.5,1,benign\n"
        try BinaryFile.writeAtomically(Self.gzipStored(Array(text.utf8)), to: path)
        let error = #expect(throws: DataError.self) { try DatasetLoaders.csv(path: path) }
        #expect(error?.description.contains("line 1 was taken as a header") == true, "\(String(describing: error))")
        #expect(error?.description.hasPrefix(path) == true)
        let dataset = try DatasetLoaders.csv(path: path, options: .init(skipRows: 1))
        #expect(dataset.classNames == ["benign", "malignant"])
        #expect(dataset.labels == [1, 0])
        #expect(dataset.classCount == 2)
        var generator = SeededGenerator(seed: 1)
        #expect(dataset.shuffled(using: &generator).classNames == ["benign", "malignant"])
    }
}
