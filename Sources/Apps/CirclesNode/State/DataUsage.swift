/// What a circle's committed data takes: its paths and the bytes of its paths and values.
package struct DataUsage: Sendable, Equatable {
    package var paths: Int
    package var bytes: Int

    package init(paths: Int = 0, bytes: Int = 0) {
        self.paths = paths
        self.bytes = bytes
    }
}
