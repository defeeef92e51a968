import Foundation

/// Bounds on what a reader may allocate or consume, so that a hostile or mistaken input (a gzip bomb, a FIFO,
/// `/dev/zero`, a label column of huge numbers) fails with a message naming the bound instead of exhausting memory or
/// hanging.
///
/// The readers also bound by what a container declares: a gzip member's ISIZE, an IDX header's dimensions. These
/// limits are the ceiling on top of that. ``standard`` reads overrides from the environment so that users of the
/// command-line tools can raise a bound without code:
///
/// | property                  | default        | environment variable              |
/// |---------------------------|----------------|-----------------------------------|
/// | ``maxDecompressedBytes``  | 1 GiB          | `MIXUP_MAX_DECOMPRESSED_BYTES`    |
/// | ``nonRegularFileBytes``   | `nil` (refuse) | `MIXUP_NON_REGULAR_FILE_BYTES`    |
/// | ``maxClassCount``         | 10 000         | `MIXUP_MAX_CLASSES`               |
public struct ReadLimits: Sendable, Equatable {
    /// The most bytes decompressing one file may produce.
    public var maxDecompressedBytes: Int
    /// How many bytes may be read from a file that is not a regular file (a FIFO, a character or block device, a
    /// socket); `nil` refuses such files outright, since reading them may block forever or never end.
    public var nonRegularFileBytes: Int?
    /// The most classes a label column may define (e.g. the largest integer label plus one in a CSV file).
    public var maxClassCount: Int

    /// Limits with the given values.
    ///
    /// - Precondition: every value is positive.
    public init(maxDecompressedBytes: Int = 1 << 30, nonRegularFileBytes: Int? = nil, maxClassCount: Int = 10_000) {
        precondition(maxDecompressedBytes > 0, "ReadLimits: maxDecompressedBytes \(maxDecompressedBytes) must be > 0")
        precondition(
            (nonRegularFileBytes ?? 1) > 0, "ReadLimits: nonRegularFileBytes \(nonRegularFileBytes ?? 0) must be > 0")
        precondition(maxClassCount > 0, "ReadLimits: maxClassCount \(maxClassCount) must be > 0")
        self.maxDecompressedBytes = maxDecompressedBytes
        self.nonRegularFileBytes = nonRegularFileBytes
        self.maxClassCount = maxClassCount
    }

    /// The default limits, with any override from the environment variables `MIXUP_MAX_DECOMPRESSED_BYTES`,
    /// `MIXUP_NON_REGULAR_FILE_BYTES` and `MIXUP_MAX_CLASSES` (positive integers; other values are ignored).
    public static var standard: ReadLimits {
        let environment = ProcessInfo.processInfo.environment
        func value(_ name: String) -> Int? {
            guard let text = environment[name], let number = Int(text), number > 0 else { return nil }
            return number
        }
        var limits = ReadLimits()
        if let bytes = value("MIXUP_MAX_DECOMPRESSED_BYTES") { limits.maxDecompressedBytes = bytes }
        if let bytes = value("MIXUP_NON_REGULAR_FILE_BYTES") { limits.nonRegularFileBytes = bytes }
        if let classes = value("MIXUP_MAX_CLASSES") { limits.maxClassCount = classes }
        return limits
    }

    /// How to raise ``maxDecompressedBytes``, for error messages.
    static let decompressedOverride =
        "raise ReadLimits.maxDecompressedBytes or set MIXUP_MAX_DECOMPRESSED_BYTES"
    /// How to raise ``nonRegularFileBytes``, for error messages.
    static let nonRegularOverride = "raise ReadLimits.nonRegularFileBytes or set MIXUP_NON_REGULAR_FILE_BYTES"
    /// How to raise ``maxClassCount``, for error messages.
    static let classCountOverride = "raise ReadLimits.maxClassCount or set MIXUP_MAX_CLASSES"
}
