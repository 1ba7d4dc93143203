/// One buffered change of a task: `value` (JSON text) stored at `path`, or the path deleted when nil.
public struct DataWrite: Sendable, Equatable {
    public var path: String
    public var value: [UInt8]?

    public init(path: String, value: [UInt8]?) {
        self.path = path
        self.value = value
    }
}
