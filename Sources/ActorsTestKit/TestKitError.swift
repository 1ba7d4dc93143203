import Actors
/// A test-kit expectation that did not hold.
public struct TestKitError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
