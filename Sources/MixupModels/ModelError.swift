/// A model setting that cannot build a working network, with the offending value in the message.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    /// The CNN halves the image twice (two 2×2 max-pools), so its side must be a positive multiple of 4.
    case imageSizeNotDivisible(imageSize: Int, by: Int)
    /// A size (channels, classes, widths) must be positive.
    case nonPositiveSize(name: String, value: Int)

    public var description: String {
        switch self {
        case .imageSizeNotDivisible(let size, let divisor):
            "image size must be a positive multiple of \(divisor), got \(size)"
        case .nonPositiveSize(let name, let value): "\(name) must be positive, got \(value)"
        }
    }
}
