/// A property check that a mixer failed, with a description of what was expected and what was found.
///
/// Throw it into any test framework: Swift Testing records a thrown error as a failure (`#expect(throws: Never.self)`
/// or simply `try` in a `@Test`), XCTest likewise for a throwing test method.
public struct MixerCheckFailure: Error, CustomStringConvertible, Equatable, Sendable {
    /// The name of the check that failed, e.g. `"labelWeightsSumToOne"`.
    public let check: String
    /// What went wrong, naming the sample, seed and values involved.
    public let message: String

    /// Creates a failure.
    public init(check: String, message: String) {
        self.check = check
        self.message = message
    }

    public var description: String { "\(check): \(message)" }
}
