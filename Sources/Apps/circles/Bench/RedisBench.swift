import ArgumentParser
import Foundation
import Transport

/// `circles bench redis`: commands per second through `RedisClient` against a running redis-server,
/// in the shapes `redis-benchmark -t ping,lpush -q` uses (50 clients, one command in flight each),
/// plus explicit pipelines, so the two can be read side by side.
struct RedisBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redis",
        abstract: "PING, SET and LPUSH throughput of the Redis client (concurrent callers and explicit pipelines).",
        discussion: """
            redis-server --port 6390 --save '' --appendonly no &
            .build/release/circles bench redis --url redis://127.0.0.1:6390
            redis-benchmark -p 6390 -t ping,lpush -q
            """
    )

    @Option(help: "The server to load.") var url = "redis://127.0.0.1:6379"
    @Option(help: "Commands per case.") var requests = 200_000
    @Option(help: "Concurrent callers (tasks), each with one command in flight.") var clients = 50
    @Option(help: "Pooled connections of the client.") var connections = 4
    @Option(help: "Commands per explicit pipeline.") var pipeline = 16

    func run() async throws {
        let client = try RedisClient(url, connections: connections)
        defer { client.close() }
        _ = try await client.send(["DEL", "bench:list"])
        print("Redis client, \(url), \(requests) commands per case, \(connections) pooled connections")
        try await report("PING, \(clients) concurrent callers", measureConcurrent(client) { _ in ["PING"] })
        try await report("SET, \(clients) concurrent callers", measureConcurrent(client) { ["SET", "bench:key:\($0 % 1000)", "xxx"] })
        try await report("LPUSH, \(clients) concurrent callers", measureConcurrent(client) { _ in ["LPUSH", "bench:list", "xxx"] })
        try await report("PING, pipelines of \(pipeline), \(clients) callers", measurePipelined(client) { _ in ["PING"] })
        try await report("SET, pipelines of \(pipeline), \(clients) callers", measurePipelined(client) { ["SET", "bench:key:\($0 % 1000)", "xxx"] })
        let dedicated = try await client.dedicated()
        defer { dedicated.close() }
        try await report("PING, 1 caller, 1 in flight (round trip)", measureSerial(dedicated, count: min(requests, 20_000)))
        _ = try await client.send(["DEL", "bench:list"])
    }

    private func report(_ name: String, _ result: (count: Int, seconds: Double)) async throws {
        let perSecond = Double(result.count) / result.seconds
        print(name.padding(toLength: 48, withPad: " ", startingAt: 0) + String(format: "%12.0f requests/s", perSecond))
    }

    /// `clients` tasks, each sending its share one command at a time.
    private func measureConcurrent(_ client: RedisClient, _ command: @escaping @Sendable (Int) -> [String]) async throws -> (count: Int, seconds: Double) {
        let share = requests / clients
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<clients {
                group.addTask {
                    for index in 0..<share { _ = try await client.send(command(caller * share + index)) }
                }
            }
            try await group.waitForAll()
        }
        return (share * clients, Self.seconds(ContinuousClock.now - start))
    }

    /// `clients` tasks, each sending its share in pipelines of `pipeline` commands.
    private func measurePipelined(_ client: RedisClient, _ command: @escaping @Sendable (Int) -> [String]) async throws -> (count: Int, seconds: Double) {
        let batches = max(1, requests / clients / pipeline)
        let size = pipeline
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<clients {
                group.addTask {
                    for batch in 0..<batches {
                        let base = (caller * batches + batch) * size
                        let replies = try await client.pipeline((0..<size).map { command(base + $0) })
                        guard replies.count == size else { throw RedisError.protocolError("short pipeline") }
                    }
                }
            }
            try await group.waitForAll()
        }
        return (batches * size * clients, Self.seconds(ContinuousClock.now - start))
    }

    private func measureSerial(_ connection: RedisConnection, count: Int) async throws -> (count: Int, seconds: Double) {
        let start = ContinuousClock.now
        for _ in 0..<count { _ = try await connection.send(["PING"]) }
        return (count, Self.seconds(ContinuousClock.now - start))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
