import Synchronization

/// The embedded mode's storage: one SQLite database per circle, in the circle's namespace under
/// `dataDirectory`, opened on first use. A database that cannot be opened (corrupt, unreadable)
/// fails that circle's data access only, and is tried again by the next task.
package final class SQLiteStorage: CircleStorage {
    package let dataDirectory: String
    private let stores = Mutex<[String: SQLiteCircleStore]>([:])

    package init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    package func store(for circle: String) throws(StateError) -> any CircleStore {
        try sqliteStore(for: circle)
    }

    func sqliteStore(for circle: String) throws(StateError) -> SQLiteCircleStore {
        if let open = stores.withLock({ $0[circle] }) { return open }
        let namespace: PeerNamespace
        do {
            namespace = try PeerNamespace(base: dataDirectory, circle: circle)
        } catch {
            throw .storage("\(error)")
        }
        let opened = try SQLiteCircleStore(namespace: namespace)
        return stores.withLock { stores in
            if let raced = stores[circle] { return raced }
            stores[circle] = opened
            return opened
        }
    }
}
