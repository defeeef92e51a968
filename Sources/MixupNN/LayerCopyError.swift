/// Why a network could not be copied with ``Layer/copy()``.
public enum LayerCopyError: Error, Equatable, CustomStringConvertible {
    /// A layer of this type does not implement ``Layer/copy()`` (layers defined outside MixupKit must, to be used
    /// where a copy is needed: EMA teachers, EMA evaluation).
    case notCopyable(layerType: String)

    public var description: String {
        switch self {
        case .notCopyable(let layerType):
            "layer type \(layerType) does not implement copy(); implement `func copy() -> \(layerType)` "
                + "(a new instance with the same configuration and copies of its parameters and buffers)"
        }
    }
}
