import CircleClient
import CirclesCore
import Foundation
import Testing
import TestSupport

/// Secrets stay off command lines, which every user of the machine reads in /proc/PID/cmdline: the
/// launcher reads the Redis URL from a file and hands it to its worker processes in their environment.
@Suite struct SecretsTests {
    @Test(.enabled(if: CirclesBinary.isBuilt), .timeLimit(.minutes(3)))
    func theRedisPasswordIsOnNoCommandLine() async throws {
        let password = "pw-" + UUID().uuidString
        let redis = try await Self.redisRequiring(password)
        defer { redis.stop() }
        let directory = try TemporaryDirectory.make(prefix: "circles-secrets")
        try redis.url.write(toFile: directory + "/redis-url", atomically: true, encoding: .utf8)
        chmod(directory + "/redis-url", 0o600)
        let launcher = try await CirclesBinary.launch(in: directory, config: { #"[{"name": "solo", "port": \#($0)}]"# },
                                                      ["--json", "--redis-url-file", directory + "/redis-url", "--worker-processes", "1", "--log-level", "debug"],
                                                      until: { out, err in out.hasSuffix("\n") && LaunchWithWorkerProcessesTests.workerPIDs(err).count == 1 })
        defer { _ = launcher.process.kill(SIGKILL) }
        let worker = try #require(LaunchWithWorkerProcessesTests.workerPIDs(CirclesBinary.read(launcher.err)).first)

        let workerLine = try Self.commandLine(of: worker)
        #expect(workerLine.contains("worker"))
        #expect(!workerLine.contains(password), "\(workerLine)")
        #expect(!(try Self.commandLine(of: launcher.process.pid)).contains(password))
        let environment = try String(contentsOfFile: "/proc/\(worker)/environ", encoding: .utf8).split(separator: "\0")
        #expect(environment.contains { $0 == "CIRCLES_REDIS_URL=\(redis.url)" })
        // The launcher's log settings go the same way.
        #expect(environment.contains { $0 == "CIRCLES_LOG_LEVEL=debug" })

        // And the worker reached Redis with it: a play goes through.
        let url = try #require(try JSONParser.parse(CirclesBinary.read(launcher.out)).arrayValue?.first?["url"]?.stringValue)
        let client = try CircleClient.Builder(url: url).keyPair(PrivateKey()).timeout(60).build()
        try await client.connect()
        _ = try await client.authenticate()
        #expect(try await client.play("6 * 7").output == "42")
        await client.close()
    }

    @Test(.enabled(if: CirclesBinary.isBuilt))
    func theRedisURLComesFromAFileOrTheEnvironment() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-secrets")
        let circle = PrivateKey().publicKey.hex
        let serve = ["serve", "--circle", circle, "--port", "0", "--data-dir", directory + "/data", "--accept-unsigned-tasks"]
        // A URL that cannot be parsed shows which one the node took, and stops it before it starts.
        try "from-the-file\n".write(toFile: directory + "/url", atomically: true, encoding: .utf8)
        chmod(directory + "/url", 0o644)
        let fromFile = try await CommandResult.circles(serve + ["--redis-url-file", directory + "/url"])
        #expect(fromFile.code == 2)
        #expect(fromFile.err.contains("from-the-file does not start with redis://"), "\(fromFile.err)")
        #expect(fromFile.err.contains("readable by other users"))
        let fromEnvironment = try await CommandResult.run("/usr/bin/env", ["CIRCLES_REDIS_URL=from-the-environment", CirclesBinary.path] + serve)
        #expect(fromEnvironment.code == 2)
        #expect(fromEnvironment.err.contains("from-the-environment does not start with redis://"), "\(fromEnvironment.err)")
        let both = try await CommandResult.circles(serve + ["--redis-url", "redis://127.0.0.1:1", "--redis-url-file", directory + "/url"])
        #expect(both.code == 2)
        let missing = try await CommandResult.circles(serve + ["--sign-api-token-file", directory + "/nonexistent"])
        #expect(missing.code == 2 && missing.err.contains("--sign-api-token-file"), "\(missing.err)")
    }

    /// A redis-server that asks for `password`. A free port can be taken by another test's redis-server
    /// before ours binds it (and ours then exits while the other answers): such a port is left.
    static func redisRequiring(_ password: String) async throws -> RedisServer {
        for _ in 0..<5 {
            let redis = try await onDedicatedThread { try RedisServer(password: password) }
            let probe = try BlockingSocket(port: redis.port)
            probe.send("PING\r\n")
            if await probe.read(until: "\r\n").hasPrefix("-NOAUTH") { return redis }
            redis.stop()
        }
        throw FreePort.Failure(description: "no redis-server with a password could be started")
    }

    /// /proc/PID/cmdline with its NULs as spaces.
    static func commandLine(of pid: pid_t) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))
        return String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }
}
