/// What a circle's committed data takes: its paths and the bytes of its paths and values.
public struct DataUsage: Sendable, Equatable {
    public var paths: Int
    public var bytes: Int

    public init(paths: Int = 0, bytes: Int = 0) {
        self.paths = paths
        self.bytes = bytes
    }
}
