import Synchronization

/// A circle's data in its own SQLite database, `{namespace}/state.sqlite` (embedded mode): WAL, a
/// full fsync at every commit. Data files of the earlier layout (`data/`) are imported once, when
/// the database is created. Its usage is computed at open and kept up to date by `commit`; a commit
/// of another connection (`circles modules put` while the node runs) is seen by SQLite's
/// `data_version`, and the usage is computed again.
package final class SQLiteCircleStore: CircleStore {
    package static let fileName = "state.sqlite"

    private struct State {
        var database: SQLiteDatabase
        var usage: DataUsage
        var version: Int
    }
    private let state: Mutex<State>
    package let path: String

    package init(namespace: PeerNamespace) throws(StateError) {
        path = namespace.root + "/" + Self.fileName
        let database = try SQLiteDatabase(path: path)
        try Self.importLegacy(namespace, into: database)
        let version = try Self.version(of: database)
        state = Mutex(State(database: database, usage: try Self.measure(database), version: version))
    }

    private static func measure(_ database: SQLiteDatabase) throws(StateError) -> DataUsage {
        var usage = DataUsage()
        try database.query("SELECT count(*), coalesce(sum(length(CAST(path AS BLOB)) + length(value)), 0) FROM data") { row in
            usage = DataUsage(paths: SQLiteDatabase.integer(row, 0), bytes: SQLiteDatabase.integer(row, 1))
        }
        return usage
    }

    /// Changes when another connection commits to the database (not with this one's own commits).
    private static func version(of database: SQLiteDatabase) throws(StateError) -> Int {
        var version = 0
        try database.query("PRAGMA data_version") { version = SQLiteDatabase.integer($0, 0) }
        return version
    }

    package func load(_ path: String) throws(StateError) -> [UInt8]? {
        try state.withLock { state throws(StateError) -> [UInt8]? in
            var value: [UInt8]?
            try state.database.query("SELECT value FROM data WHERE path = ?", [.text(path)]) { value = SQLiteDatabase.blob($0, 0) }
            return value
        }
    }

    package func valueSize(_ path: String) throws(StateError) -> Int? {
        try state.withLock { state throws(StateError) -> Int? in
            var size: Int?
            try state.database.query("SELECT length(value) FROM data WHERE path = ?", [.text(path)]) { size = SQLiteDatabase.integer($0, 0) }
            return size
        }
    }

    package func paths() throws(StateError) -> [String] {
        try state.withLock { state throws(StateError) -> [String] in
            var paths: [String] = []
            try state.database.query("SELECT path FROM data ORDER BY path") { paths.append(SQLiteDatabase.text($0, 0)) }
            return paths
        }
    }

    package func usage() throws(StateError) -> DataUsage {
        try state.withLock { state throws(StateError) -> DataUsage in
            try Self.refresh(&state)
            return state.usage
        }
    }

    /// Measures the usage again when another connection committed since it was last known.
    private static func refresh(_ state: inout State) throws(StateError) {
        let version = try version(of: state.database)
        guard version != state.version else { return }
        state.usage = try measure(state.database)
        state.version = version
    }

    package var committer: (@Sendable ([DataWrite]) throws(StateError) -> Void)? {
        { [self] writes throws(StateError) in try commit(writes) }
    }

    /// Applies `writes` in one transaction; returns once it is on disk (fsync).
    package func commit(_ writes: [DataWrite]) throws(StateError) {
        guard !writes.isEmpty else { return }
        try state.withLock { state throws(StateError) in
            try Self.refresh(&state)
            var usage = state.usage
            try state.database.transaction { () throws(StateError) in
                for write in writes {
                    var old: Int?
                    try state.database.query("SELECT length(value) FROM data WHERE path = ?", [.text(write.path)]) {
                        old = SQLiteDatabase.integer($0, 0)
                    }
                    if let old {
                        usage.paths -= 1
                        usage.bytes -= old + write.path.utf8.count
                    }
                    if let value = write.value {
                        try state.database.query("INSERT OR REPLACE INTO data(path, value) VALUES (?, ?)", [.text(write.path), .blob(value)])
                        usage.paths += 1
                        usage.bytes += value.count + write.path.utf8.count
                    } else if old != nil {
                        try state.database.query("DELETE FROM data WHERE path = ?", [.text(write.path)])
                    }
                }
            }
            state.usage = usage
        }
    }

    /// Copies the JSON files under `data/` into a database that has not imported them yet, once.
    private static func importLegacy(_ namespace: PeerNamespace, into database: SQLiteDatabase) throws(StateError) {
        var imported = false
        try database.query("SELECT 1 FROM meta WHERE key = 'imported'") { _ in imported = true }
        if imported { return }
        let files: [(String, [UInt8])]
        do {
            files = try namespace.legacyFiles()
        } catch {
            throw .storage("cannot import the data files of \(namespace.root): \(error)")
        }
        try database.transaction { () throws(StateError) in
            for (path, bytes) in files {
                try database.query("INSERT OR IGNORE INTO data(path, value) VALUES (?, ?)", [.text(path), .blob(bytes)])
            }
            try database.query("INSERT OR IGNORE INTO meta(key, value) VALUES ('imported', ?)", [.text(String(files.count))])
        }
    }
}
