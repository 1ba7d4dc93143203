import Actors
import ArgumentParser
import CSQLite
import Foundation
import Transport
import Threads

/// `circles bench state-floor`: what a read-modify-write play cannot beat, to read beside
/// `circles bench play` with a data script: a bare SQLite loop with the embedded mode's durability (WAL,
/// synchronous=FULL, one transaction per write) and, with --redis-url, one EVALSHA round trip doing the
/// same read-modify-write in Redis.
struct StateFloorBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state-floor",
        abstract: "Floors for circle state: a bare SQLite read-modify-write loop (fsync per commit) and one EVALSHA round trip.",
        discussion: """
            circles bench state-floor --requests 2000
            circles bench state-floor --redis-url redis://127.0.0.1:6390
            Benchmarks/circle-state.sh runs it beside `circles bench play` (one hot circle, 8 circles; embedded and Redis).
            """
    )

    @Option(help: "Read-modify-write operations per case.") var requests = 2000
    @Option(help: "Directory for the SQLite file (default: a temporary one). Put it on the disk the node's data uses.") var directory: String?
    @Option(help: "Also measure one EVALSHA round trip per operation against this Redis.") var redisUrl: String?

    func run() async throws {
        let base = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("circles-floor-\(getpid())").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let path = base + "/floor.sqlite"
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let sqlite = try await Self.onThread { try Self.sqliteLoop(path: path, count: requests) }
        print(Self.line("SQLite, WAL, synchronous=FULL, 1 transaction per write", sqlite))
        if let redisUrl {
            let client = try RedisClient(redisUrl, connections: 1)
            defer { client.close() }
            let connection = try await client.dedicated()
            defer { connection.close() }
            let script = RedisScript("return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)")
            _ = try await client.run(script, keys: ["bench:floor"], arguments: ["n"])
            var latencies: [Double] = []
            let started = SystemTime.monotonic()
            for _ in 0..<requests {
                let begin = SystemTime.monotonic()
                _ = try await connection.pipeline([script.evalSHA(keys: ["bench:floor"], arguments: ["n"])])
                latencies.append(SystemTime.monotonic() - begin)
            }
            print(Self.line("Redis, 1 EVALSHA round trip (HINCRBY) per write", (SystemTime.monotonic() - started, latencies)))
            _ = try await client.send(["DEL", "bench:floor"])
        }
    }

    /// Runs `body` on a thread of its own (SQLite blocks in fsync).
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `count` transactions, each reading a counter and writing it back plus one.
    static func sqliteLoop(path: String, count: Int) throws -> (seconds: Double, latencies: [Double]) {
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK, let db else { throw Failure(description: "cannot open \(path)") }
        defer { sqlite3_close(db) }
        func exec(_ sql: String) throws {
            guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw Failure(description: String(cString: sqlite3_errmsg(db))) }
        }
        try exec("PRAGMA journal_mode=WAL")
        try exec("PRAGMA synchronous=FULL")
        try exec("CREATE TABLE IF NOT EXISTS data(path TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
        var select: OpaquePointer?
        var upsert: OpaquePointer?
        sqlite3_prepare_v2(db, "SELECT value FROM data WHERE path = 'counter'", -1, &select, nil)
        sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO data(path, value) VALUES ('counter', ?)", -1, &upsert, nil)
        defer {
            sqlite3_finalize(select)
            sqlite3_finalize(upsert)
        }
        var latencies: [Double] = []
        latencies.reserveCapacity(count)
        let started = SystemTime.monotonic()
        for _ in 0..<count {
            let begin = SystemTime.monotonic()
            try exec("BEGIN IMMEDIATE")
            var value = 0
            if sqlite3_step(select) == SQLITE_ROW, let text = sqlite3_column_text(select, 0) { value = Int(String(cString: text)) ?? 0 }
            sqlite3_reset(select)
            let next = String(value + 1)
            _ = next.withCString { circles_sqlite3_bind_text(upsert, 1, $0, Int32(strlen($0))) }
            guard sqlite3_step(upsert) == SQLITE_DONE else { throw Failure(description: String(cString: sqlite3_errmsg(db))) }
            sqlite3_reset(upsert)
            try exec("COMMIT")
            latencies.append(SystemTime.monotonic() - begin)
        }
        return (SystemTime.monotonic() - started, latencies)
    }

    static func line(_ title: String, _ run: (seconds: Double, latencies: [Double])) -> String {
        let sorted = run.latencies.sorted()
        func percentile(_ p: Double) -> String {
            guard !sorted.isEmpty else { return "-" }
            return String(format: "%.3f", sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000)
        }
        let rate = Double(sorted.count) / max(run.seconds, 1e-9)
        return "  \(title): \(String(format: "%.0f", rate)) ops/s, p50 \(percentile(0.5)) ms, p99 \(percentile(0.99)) ms"
    }
}
