/// The Redis mode's storage: each circle's data in the hash `rhailib:data:{circle}` (path → JSON
/// text, SPEC section 5) and its byte count in `rhailib:datainfo:{circle}`, read through the worker's
/// own connections, so that every worker on every machine sees the same state. Writes reach Redis only
/// in the complete script. The first time this process opens a circle, data files of the earlier layout
/// in its namespace (when the worker has a data directory) are imported, once for the circle.
struct RedisStorage: CircleStorage {
    let source: RedisTaskSource

    func store(for circle: String) throws(StateError) -> any CircleStore {
        let store = RedisCircleStore(circle: circle, source: source)
        if source.imported.withLock({ $0.insert(circle).inserted }) {
            do {
                try store.importLegacy(from: source.options.dataDirectory)
            } catch {
                _ = source.imported.withLock { $0.remove(circle) }
                throw error
            }
        }
        return store
    }
}
