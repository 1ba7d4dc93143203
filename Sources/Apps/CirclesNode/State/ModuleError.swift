/// Why an operator's module could not be read, put, listed or deleted.
package struct ModuleError: Error, Sendable, Equatable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}
