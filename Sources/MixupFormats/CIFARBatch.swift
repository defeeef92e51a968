/// A CIFAR-10 or CIFAR-100 binary batch file (`data_batch_1.bin`, `test_batch.bin`, `train.bin`, `test.bin`).
///
/// Each record is the label byte(s) followed by a 32×32 colour image as 3072 bytes: the 1024 red values, then green,
/// then blue, each plane row-major. CIFAR-10 records have one label byte (0–9, 3073 bytes per record); CIFAR-100
/// records have a coarse (0–19) and a fine (0–99) label byte (3074 bytes per record).
public struct CIFARBatch: Sendable, Equatable {
    /// Which dataset's record layout a file uses.
    public enum Variant: Sendable, Equatable, CaseIterable {
        /// One label byte per record, 10 classes.
        case cifar10
        /// Coarse then fine label byte per record, 20 superclasses and 100 classes.
        case cifar100

        /// The number of label bytes before each image.
        public var labelBytes: Int { self == .cifar10 ? 1 : 2 }
        /// The size of one record in bytes: label bytes plus ``CIFARBatch/imageBytes``.
        public var recordSize: Int { labelBytes + CIFARBatch.imageBytes }
        /// The number of (fine) classes.
        public var classCount: Int { self == .cifar10 ? 10 : 100 }
    }

    /// The shape of one image: channels, height, width.
    public static let imageShape = [3, 32, 32]
    /// The number of bytes of one image (3 × 32 × 32).
    public static let imageBytes = 3 * 32 * 32

    /// The record layout of the file.
    public let variant: Variant
    /// The class of each image: the CIFAR-10 label, or the CIFAR-100 *fine* label.
    public let labels: [Int]
    /// The CIFAR-100 superclass (coarse label, 0–19) of each image; `nil` for CIFAR-10.
    public let coarseLabels: [Int]?
    /// All images, `count × 3 × 32 × 32` bytes, channel-major within each image as stored.
    public let pixels: [UInt8]

    /// The number of images.
    public var count: Int { labels.count }

    /// Reads the batch file at `path`.
    ///
    /// - Throws: ``FormatError/ioError(path:reason:)`` if it cannot be read, and the errors of
    ///   ``init(bytes:variant:)`` naming `path`.
    public init(path: String, variant: Variant) throws(FormatError) {
        let bytes = try BinaryFile.read(path: path)
        do {
            self = try CIFARBatch(bytes: bytes, variant: variant)
        } catch {
            throw error.attaching(file: path)
        }
    }

    /// Parses batch data from memory.
    ///
    /// - Throws:
    ///   - ``FormatError/sizeMismatch(file:what:expected:found:)`` if the data is empty or its size is not a multiple
    ///     of the record size (`expected` is the size of the nearest whole number of records not exceeding it);
    ///   - ``FormatError/invalidLabel(file:record:value:limit:)`` if a label is out of range for the variant.
    public init(bytes: [UInt8], variant: Variant) throws(FormatError) {
        let recordSize = variant.recordSize
        guard !bytes.isEmpty, bytes.count % recordSize == 0 else {
            throw .sizeMismatch(
                file: nil, what: "\(variant) batch size (a positive multiple of \(recordSize)-byte records)",
                expected: max(recordSize, bytes.count / recordSize * recordSize), found: bytes.count)
        }
        let count = bytes.count / recordSize
        var labels = [Int]()
        labels.reserveCapacity(count)
        var coarse = [Int]()
        var pixels = [UInt8](repeating: 0, count: count * CIFARBatch.imageBytes)
        try bytes.withUnsafeBufferPointer { (source) throws(FormatError) in
            try pixels.withUnsafeMutableBufferPointer { (destination) throws(FormatError) in
                guard let sourceBase = source.baseAddress, let destinationBase = destination.baseAddress else { return }
                for record in 0..<count {
                    let start = record * recordSize
                    if variant == .cifar100 {
                        let coarseLabel = Int(source[start])
                        guard coarseLabel < 20 else {
                            throw .invalidLabel(file: nil, record: record, value: coarseLabel, limit: 20)
                        }
                        coarse.append(coarseLabel)
                    }
                    let label = Int(source[start + variant.labelBytes - 1])
                    guard label < variant.classCount else {
                        throw .invalidLabel(file: nil, record: record, value: label, limit: variant.classCount)
                    }
                    labels.append(label)
                    (destinationBase + record * CIFARBatch.imageBytes).update(
                        from: sourceBase + start + variant.labelBytes, count: CIFARBatch.imageBytes)
                }
            }
        }
        self.variant = variant
        self.labels = labels
        self.coarseLabels = variant == .cifar100 ? coarse : nil
        self.pixels = pixels
    }

    /// The 3072 bytes of image `index`.
    ///
    /// - Precondition: `0 <= index < count`.
    public func image(at index: Int) -> ArraySlice<UInt8> {
        precondition(index >= 0 && index < count, "CIFARBatch: image index \(index) out of range 0..<\(count)")
        return pixels[index * CIFARBatch.imageBytes..<(index + 1) * CIFARBatch.imageBytes]
    }
}
