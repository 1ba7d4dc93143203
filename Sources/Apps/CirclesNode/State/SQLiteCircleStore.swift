import Synchronization

/// A circle's data in its own SQLite database, `{namespace}/state.sqlite` (embedded mode): WAL, a
/// full fsync at every commit. Data files of the earlier layout (`data/`) are imported once, when
/// the database is created. Its usage is computed at open and kept up to date by `commit`, so one
/// node (process) owns a data directory.
public final class SQLiteCircleStore: CircleStore {
    public static let fileName = "state.sqlite"

    private struct State {
        var database: SQLiteDatabase
        var usage: DataUsage
    }
    private let state: Mutex<State>
    public let path: String

    public init(namespace: PeerNamespace) throws(StateError) {
        path = namespace.root + "/" + Self.fileName
        let database = try SQLiteDatabase(path: path)
        try Self.importLegacy(namespace, into: database)
        var usage = DataUsage()
        try database.query("SELECT count(*), coalesce(sum(length(CAST(path AS BLOB)) + length(value)), 0) FROM data") { row in
            usage = DataUsage(paths: SQLiteDatabase.integer(row, 0), bytes: SQLiteDatabase.integer(row, 1))
        }
        state = Mutex(State(database: database, usage: usage))
    }

    public func load(_ path: String) throws(StateError) -> [UInt8]? {
        try state.withLock { state throws(StateError) -> [UInt8]? in
            var value: [UInt8]?
            try state.database.query("SELECT value FROM data WHERE path = ?", [.text(path)]) { value = SQLiteDatabase.blob($0, 0) }
            return value
        }
    }

    public func valueSize(_ path: String) throws(StateError) -> Int? {
        try state.withLock { state throws(StateError) -> Int? in
            var size: Int?
            try state.database.query("SELECT length(value) FROM data WHERE path = ?", [.text(path)]) { size = SQLiteDatabase.integer($0, 0) }
            return size
        }
    }

    public func paths() throws(StateError) -> [String] {
        try state.withLock { state throws(StateError) -> [String] in
            var paths: [String] = []
            try state.database.query("SELECT path FROM data ORDER BY path") { paths.append(SQLiteDatabase.text($0, 0)) }
            return paths
        }
    }

    public func usage() throws(StateError) -> DataUsage { state.withLock { $0.usage } }

    public var committer: (@Sendable ([DataWrite]) throws(StateError) -> Void)? {
        { [self] writes throws(StateError) in try commit(writes) }
    }

    /// Applies `writes` in one transaction; returns once it is on disk (fsync).
    public func commit(_ writes: [DataWrite]) throws(StateError) {
        guard !writes.isEmpty else { return }
        try state.withLock { state throws(StateError) in
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
