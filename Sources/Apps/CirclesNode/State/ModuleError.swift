/// Why an operator's module could not be read, put, listed or deleted.
public struct ModuleError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
