/// A circle's committed data, as one task reads it. Writes never go through here: a task buffers them
/// and its queue commits them with its result (`TaskCommit`).
package protocol CircleStore: AnyObject, Sendable {
    /// The JSON text stored at `path`, nil when there is none.
    func load(_ path: String) throws(StateError) -> [UInt8]?
    /// Bytes of the value stored at `path`, nil when there is none.
    func valueSize(_ path: String) throws(StateError) -> Int?
    /// Every stored path, sorted.
    func paths() throws(StateError) -> [String]
    func usage() throws(StateError) -> DataUsage
    /// Commits writes durably, for stores a worker commits to itself (embedded mode); nil when the
    /// queue commits them (Redis, in its complete script).
    var committer: (@Sendable ([DataWrite]) throws(StateError) -> Void)? { get }
    /// How modules read from this store are checked (`ModuleSignature`): nil when the store is trusted as
    /// it is (a local SQLite file), else the task secret they must be signed with.
    var moduleSigning: (secret: TaskSecret?, acceptUnsigned: Bool)? { get }
}

extension CircleStore {
    package var moduleSigning: (secret: TaskSecret?, acceptUnsigned: Bool)? { nil }
}

/// Where a worker finds each circle's store.
package protocol CircleStorage: Sendable {
    func store(for circle: String) throws(StateError) -> any CircleStore
}
