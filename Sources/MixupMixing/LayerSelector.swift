/// Where in the network mixing happens for a batch, chosen among the model's eligible mix points.
///
/// Conformers are small value types; a selector is consulted once per batch, with an injected generator.
public protocol LayerSelector: Sendable {
    /// A short description for logs, e.g. `"input"`, `"random{input,stage1,stage2}"`.
    var name: String { get }

    /// Chooses the mix point for this batch among `eligible` (the model's points, in forward order, first the
    /// input), or returns `nil` for no mixing.
    ///
    /// - Throws: ``MixingError`` if the selector names a point the model does not have.
    func select(from eligible: [MixPoint], using generator: inout some RandomNumberGenerator) throws(MixingError)
        -> MixPoint?
}

/// Mixes at the input only (input Mixup, CutMix on images).
public struct InputSelector: LayerSelector {
    /// Creates the selector.
    public init() {}
    public var name: String { "input" }
    public func select(from eligible: [MixPoint], using generator: inout some RandomNumberGenerator) throws(MixingError)
        -> MixPoint?
    { .input }
}

/// Always mixes at one named point.
public struct FixedLayerSelector: LayerSelector {
    /// The name of the point (see the model's `mixPoints`).
    public let pointName: String
    /// Creates the selector.
    public init(_ pointName: String) { self.pointName = pointName }
    public var name: String { pointName }
    public func select(from eligible: [MixPoint], using generator: inout some RandomNumberGenerator) throws(MixingError)
        -> MixPoint?
    {
        guard let point = eligible.first(where: { $0.name == pointName }) else {
            throw .unknownMixPoint(name: pointName, eligible: eligible.map(\.name))
        }
        return point
    }
}

/// Draws the mix point uniformly, once per batch, from an explicit set of names (Manifold Mixup's k ~ U{S}), or from
/// every eligible point when `names` is `nil`.
public struct RandomLayerSelector: LayerSelector {
    /// The candidate names, or `nil` for all eligible points.
    public let names: [String]?
    /// Creates the selector.
    ///
    /// - Throws: ``MixingError/invalidParameter(name:value:requirement:)`` if `names` is given but empty.
    public init(among names: [String]? = nil) throws(MixingError) {
        if let names, names.isEmpty {
            throw .invalidParameter(
                name: "RandomLayerSelector's candidate names", value: "[]", requirement: "not be empty")
        }
        self.names = names
    }
    public var name: String { "random{\((names ?? ["all"]).joined(separator: ","))}" }
    public func select(from eligible: [MixPoint], using generator: inout some RandomNumberGenerator) throws(MixingError)
        -> MixPoint?
    {
        var candidates = eligible
        if let names {
            candidates = []
            for wanted in names {
                guard let point = eligible.first(where: { $0.name == wanted }) else {
                    throw .unknownMixPoint(name: wanted, eligible: eligible.map(\.name))
                }
                candidates.append(point)
            }
        }
        guard !candidates.isEmpty else {
            throw .invalidParameter(name: "the eligible mix points", value: "[]", requirement: "not be empty")
        }
        // A single candidate needs no draw: leaving the generator untouched keeps e.g. Manifold Mixup restricted to
        // the input bit-identical to input Mixup with the same seed.
        if candidates.count == 1 { return candidates[0] }
        return candidates[generator.nextIndex(below: candidates.count)]
    }
}

/// Never mixes (empirical risk minimisation).
public struct NoMixingSelector: LayerSelector {
    /// Creates the selector.
    public init() {}
    public var name: String { "none" }
    public func select(from eligible: [MixPoint], using generator: inout some RandomNumberGenerator) throws(MixingError)
        -> MixPoint?
    { nil }
}

extension LayerSelector where Self == InputSelector {
    /// Mix at the input.
    public static var input: InputSelector { InputSelector() }
}

extension LayerSelector where Self == FixedLayerSelector {
    /// Always mix at the point named `name`.
    public static func fixed(_ name: String) -> FixedLayerSelector { FixedLayerSelector(name) }
}

extension LayerSelector where Self == RandomLayerSelector {
    /// Draw the point uniformly from `names` once per batch (all eligible points when `nil`).
    ///
    /// - Throws: ``MixingError/invalidParameter(name:value:requirement:)`` if `names` is given but empty.
    public static func random(among names: [String]? = nil) throws(MixingError) -> RandomLayerSelector {
        try RandomLayerSelector(among: names)
    }
}

extension LayerSelector where Self == NoMixingSelector {
    /// Never mix.
    public static var never: NoMixingSelector { NoMixingSelector() }
}
