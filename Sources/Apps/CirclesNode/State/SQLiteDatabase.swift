import CSQLite

/// One SQLite connection (a circle's database file), for one thread at a time: its owner serialises
/// access. Statements are prepared once and kept.
final class SQLiteDatabase {
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    let path: String

    /// Opens (creating) `path` in WAL mode with a full fsync at every commit.
    init(path: String) throws(StateError) {
        self.path = path
        var db: OpaquePointer?
        let code = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(db)
            throw .storage("cannot open \(path): \(message)")
        }
        handle = db
        sqlite3_busy_timeout(db, 5000)
        sqlite3_extended_result_codes(db, 1)
        // self is complete here: when these throw, deinit closes the handle.
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=FULL")
        try execute("CREATE TABLE IF NOT EXISTS data(path TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
        try execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
    }

    deinit { close() }

    private func close() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    private func failure(_ what: String) -> StateError {
        .storage("\(path): \(what): \(String(cString: sqlite3_errmsg(handle)))")
    }

    /// Runs `sql` (no parameters), stepping through any rows it returns.
    func execute(_ sql: String) throws(StateError) {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw failure(sql) }
        defer { sqlite3_finalize(statement) }
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            if code != SQLITE_ROW { throw failure(sql) }
        }
    }

    /// A value that a bound parameter takes.
    enum Parameter {
        case text(String)
        case blob([UInt8])
    }

    /// Runs the cached statement `sql` with `parameters` and calls `row` for each result row.
    func query(_ sql: String, _ parameters: [Parameter] = [], row: (OpaquePointer) -> Void = { _ in }) throws(StateError) {
        let statement: OpaquePointer
        if let cached = statements[sql] {
            statement = cached
        } else {
            var prepared: OpaquePointer?
            guard sqlite3_prepare_v2(handle, sql, -1, &prepared, nil) == SQLITE_OK, let prepared else { throw failure(sql) }
            statements[sql] = prepared
            statement = prepared
        }
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, parameter) in parameters.enumerated() {
            let code: Int32
            switch parameter {
            case .text(let text):
                code = circles_sqlite3_bind_text(statement, Int32(index + 1), text, Int32(text.utf8.count))
            case .blob(let bytes):
                code = bytes.withUnsafeBytes { circles_sqlite3_bind_blob(statement, Int32(index + 1), $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count)) }
            }
            guard code == SQLITE_OK else { throw failure(sql) }
        }
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failure(sql) }
            row(statement)
        }
    }

    static func text(_ statement: OpaquePointer, _ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(statement, column) else { return "" }
        return String(cString: pointer)
    }

    static func blob(_ statement: OpaquePointer, _ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let pointer = sqlite3_column_blob(statement, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    static func integer(_ statement: OpaquePointer, _ column: Int32) -> Int { Int(sqlite3_column_int64(statement, column)) }

    /// Runs `body` in one write transaction (BEGIN IMMEDIATE … COMMIT, rolled back when it throws).
    func transaction(_ body: () throws(StateError) -> Void) throws(StateError) {
        try execute("BEGIN IMMEDIATE")
        do {
            try body()
            try execute("COMMIT")
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}
