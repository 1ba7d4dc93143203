/// One buffered change of a task: `value` (JSON text) stored at `path`, or the path deleted when nil.
package struct DataWrite: Sendable, Equatable {
    package var path: String
    package var value: [UInt8]?

    package init(path: String, value: [UInt8]?) {
        self.path = path
        self.value = value
    }
}
