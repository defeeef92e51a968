/// Typed data a strategy attaches to a ``MixPlan`` for its own ``MixingStrategy/apply(_:to:)``: a pasted box, the
/// branch a ``SwitchingStrategy`` chose, the cells of a mosaic.
///
/// Conform a small `Equatable` value type; read it back with ``MixPlan/payload(as:)``. Plans compare payloads by
/// value, so "same seed ⇒ same plan" covers them too.
public protocol MixPayload: Sendable, Equatable {}

extension MixPayload {
    /// Whether `other` is a payload of the same type and value.
    public func isEqual(to other: (any MixPayload)?) -> Bool {
        guard let other = other as? Self else { return false }
        return other == self
    }
}

/// Whether two optional payloads are equal (both `nil`, or the same type and value).
func payloadsEqual(_ a: (any MixPayload)?, _ b: (any MixPayload)?) -> Bool {
    switch (a, b) {
    case (nil, nil): true
    case (let a?, let b): a.isEqual(to: b)
    default: false
    }
}
