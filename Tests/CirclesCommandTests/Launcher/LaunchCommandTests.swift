import CirclesCore
import Foundation
import TestSupport
import Testing
import CircleClient
import Transport

/// `circles launch` as a process: the JSON line on stdout, logs on stderr, exit 0 after SIGTERM, exit
/// 2 with one line for a bad config.
@Suite struct LaunchCommandTests {
    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"))
    func printsOneJSONLineAndStopsCleanlyOnSIGTERM() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-launch-cli")
        try "print(\"hello from one\"); 40 + 2".write(toFile: directory + "/one.rhai", atomically: true, encoding: .utf8)
        let (process, out, err) = try await CirclesBinary.launch(in: directory, config: { port in
            #"[{"name": "one", "port": \#(port), "script_path": "one.rhai"}, {"name": "two", "port": \#(port)}]"#
        }, ["--json"], until: { out, _ in out.hasSuffix("\n") })
        let first = try JSONParser.parse(CirclesBinary.read(out)).arrayValue?.first?["url"]?.stringValue ?? ""
        let port = try #require(URL(string: first)?.port)
        let lines = CirclesBinary.read(out).split(separator: "\n")
        #expect(lines.count == 1)
        let array = try JSONParser.parse(String(lines[0])).arrayValue ?? []
        #expect(array.compactMap { $0["name"]?.stringValue } == ["one", "two"])
        #expect(array.first?["url"]?.stringValue?.hasPrefix("ws://127.0.0.1:\(port)/") == true)
        #expect(array.first?["public_key"]?.stringValue?.count == 66)
        try await Wait.until(timeout: 30, "the start script's result in the log") { CirclesBinary.read(err).contains("start script returned 42") }
        #expect(CirclesBinary.read(err).contains("hello from one"))
        // Exit 0 after SIGTERM: a graceful stop (the kernel closed its listener with it; probing the port
        // would race other tests' servers, which may be given the same ephemeral port next).
        let status = await process.stop(SIGTERM)
        #expect(ChildProcess.exitCode(of: status) == 0)
    }

    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"))
    func aBadConfigIsOneLineAndExitCode2() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-launch-cli")
        try #"[{"name": "a", "port": 9}, {"name": "a", "port": 10}]"#.write(toFile: directory + "/dup.json", atomically: true, encoding: .utf8)
        try "[{".write(toFile: directory + "/broken.json", atomically: true, encoding: .utf8)
        for (file, expected) in [("dup.json", #"entry #2 ("a"): field "name": duplicate name"#), ("broken.json", "invalid JSON"),
                                 ("missing.json", "cannot read the file")] {
            let (process, out, err) = try CirclesBinary.start(["launch", "--config", file], in: directory)
            let status = await onDedicatedThread { process.wait() }
            #expect(ChildProcess.exitCode(of: status) == 2, "\(file)")
            let lines = CirclesBinary.read(err).split(separator: "\n")
            #expect(lines.count == 1 && lines[0].contains(expected), "\(file): \(lines)")
            #expect(CirclesBinary.read(out).isEmpty)
        }
    }
}

/// The launcher as a real process with Redis and a supervised worker process: routing by path with the
/// client library and `circles play`, the config's allow-list applied in the worker process, a worker
/// killed with SIGKILL in the middle of a play and started again by the launcher (the play still
/// answered), and a graceful stop that answers the play in flight.
@Suite struct LaunchWithWorkerProcessesTests {
    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"), .timeLimit(.minutes(3)))
    func workerProcessesAreSupervisedAndNothingIsLost() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        let directory = try TemporaryDirectory.make(prefix: "circles-launch-workers")
        let (friend, stranger) = (PrivateKey(), PrivateKey())
        try friend.write(toFile: directory + "/friend.key")
        let launcher = try await CirclesBinary.launch(in: directory, config: { port in
            #"[{"name": "open", "port": \#(port), "policy": {"grants": {"*": ["data"]}}}, {"name": "closed", "port": \#(port), "allowed_callers": ["\#(friend.publicKey.hex)"]}]"#
        }, ["--json", "--redis-url", redis.url, "--worker-processes", "1"], until: { out, _ in out.hasSuffix("\n") })
        defer { _ = launcher.process.kill(SIGKILL) }
        let urls = (try JSONParser.parse(CirclesBinary.read(launcher.out)).arrayValue ?? []).compactMap { $0["url"]?.stringValue }
        #expect(urls.count == 2)

        func client(_ url: String, _ key: PrivateKey) async throws -> CircleClient {
            let client = try CircleClient.Builder(url: url).keyPair(key).timeout(60).build()
            try await client.connect()
            _ = try await client.authenticate()
            return client
        }
        let open = try await client(urls[0], stranger)
        #expect(try await open.play("CIRCLE_PUBLIC_KEY").output == String(urls[0].split(separator: "/").last!))
        let closed = try await client(urls[1], friend)
        #expect(try await closed.play("`welcome ${CALLER_PUBLIC_KEY.sub_string(0, 6)}`").output == "welcome \(friend.publicKey.hex.prefix(6))")
        let refused = try await client(urls[1], stranger)
        await #expect { _ = try await refused.play("1") } throws: { error in
            guard case CircleClientError.execution(let failure) = error else { return false }
            return failure.kind == .denied
        }
        let played = try CirclesBinary.start(["play", "--url", urls[1], "--key", directory + "/friend.key", "-e", "6 * 7"], in: directory)
        #expect(ChildProcess.exitCode(of: await onDedicatedThread { played.process.wait() }) == 0)
        #expect(CirclesBinary.read(played.out) == "42\n")

        // A play is in flight when the worker process dies: the one the supervisor starts in its place
        // runs it again once the dead worker's lease lapses (the visibility timeout, 10 s), and the
        // caller gets its answer.
        let killed = try HeldScript(dataDirectory: directory + "/data", circle: String(urls[0].split(separator: "/").last!))
        async let inFlightAtTheKill = open.play(HeldScript.source)
        try await Wait.until(timeout: 30, "the worker to run the script") { killed.hasStarted }
        let started = try #require(Self.workerPIDs(CirclesBinary.read(launcher.err)).first)
        kill(started, SIGKILL)
        try await Wait.until(timeout: 60, "a new worker process") { Self.workerPIDs(CirclesBinary.read(launcher.err)).count == 2 }
        #expect(killed.release())
        #expect(try await inFlightAtTheKill.output == HeldScript.output)
        #expect(try await open.play("\"after the crash\"").output == "after the crash")

        // The script runs until the test lets it end, which it does only once the launcher is stopping:
        // the play is in flight through the stop whatever the machine's load.
        for file in ["running", "go"] { try FileManager.default.removeItem(atPath: killed.directory + "/" + file) }
        let held = try HeldScript(dataDirectory: directory + "/data", circle: String(urls[0].split(separator: "/").last!))
        async let inFlight = open.play(HeldScript.source)
        try await Wait.until(timeout: 30, "the worker to run the script") { held.hasStarted }
        launcher.process.signal(SIGTERM)
        try await Wait.until(timeout: 30, "the launcher to stop") { CirclesBinary.read(launcher.err).contains("stopping gracefully") }
        #expect(held.release())
        #expect(try await inFlight.output == HeldScript.output)
        let status = await onDedicatedThread { launcher.process.wait() }
        #expect(ChildProcess.exitCode(of: status) == 0)
        let last = Self.workerPIDs(CirclesBinary.read(launcher.err)).last ?? 0
        #expect(kill(last, 0) != 0, "the worker process is gone")
    }

    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"), .timeLimit(.minutes(2)))
    func aStopRunsThePlaysStillQueuedBeforeTheWorkerProcessesGo() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        let directory = try TemporaryDirectory.make(prefix: "circles-launch-order")
        // One worker process with one slot: while it runs the held script, a second play waits in Redis.
        let launcher = try await CirclesBinary.launch(in: directory, config: { #"[{"name": "solo", "port": \#($0), "policy": {"grants": {"*": ["data"]}}}]"# },
                                                      ["--json", "--redis-url", redis.url, "--worker-processes", "1", "--workers", "1"],
                                                      until: { out, err in out.hasSuffix("\n") && Self.workerPIDs(err).count == 1 })
        defer { _ = launcher.process.kill(SIGKILL) }
        let url = try #require((try JSONParser.parse(CirclesBinary.read(launcher.out)).arrayValue?.first?["url"]?.stringValue))
        let circle = String(url.split(separator: "/").last!)
        let client = try CircleClient.Builder(url: url).keyPair(PrivateKey()).timeout(60).build()
        try await client.connect()
        _ = try await client.authenticate()
        let held = try HeldScript(dataDirectory: directory + "/data", circle: circle)
        async let first = client.play(HeldScript.source)
        try await Wait.until(timeout: 30, "the worker to run the held script") { held.hasStarted }
        async let second = client.play("\"queued\"")
        let redisClient = try RedisClient(redis.url, connections: 1)
        try await Wait.until(timeout: 30, "the second play queued") {
            (try? await redisClient.send(["LLEN", "rhailib:\(circle)"]))?.integer == 1
        }
        launcher.process.signal(SIGTERM)
        try await Wait.until(timeout: 30, "the launcher to stop") { CirclesBinary.read(launcher.err).contains("stopping gracefully") }
        #expect(held.release())
        // The node drains first; the worker process, stopped after it, still runs the queued play.
        #expect(try await first.output == HeldScript.output)
        #expect(try await second.output == "queued")
        let status = await onDedicatedThread { launcher.process.wait() }
        #expect(ChildProcess.exitCode(of: status) == 0)
    }

    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"), .timeLimit(.minutes(2)))
    func workerProcessesStopWhenTheLauncherIsKilled() async throws {
        let (redis, _, launcher) = try await Self.launchOneCircle(workerProcesses: 2)
        defer { redis.stop() }
        await launcher.process.stop(SIGKILL)
        for pid in Self.workerPIDs(CirclesBinary.read(launcher.err)) {
            try await Wait.until(timeout: 30, "orphaned worker \(pid) to stop") { kill(pid, 0) != 0 }
        }
    }

    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"), .timeLimit(.minutes(2)))
    func tooManyRestartsEndTheLauncherWithOneLineAndExitCode1() async throws {
        let (redis, directory, launcher) = try await Self.launchOneCircle(workerProcesses: 1)
        defer {
            redis.stop()
            _ = launcher.process.kill(SIGKILL)
        }
        // Without its config a new worker process cannot start, so every restart fails at once.
        try FileManager.default.removeItem(atPath: directory + "/circles.json")
        kill(Self.workerPIDs(CirclesBinary.read(launcher.err))[0], SIGKILL)
        let status = await onDedicatedThread { launcher.process.wait() }
        #expect(ChildProcess.exitCode(of: status) == 1)
        let last = CirclesBinary.read(launcher.err).split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("circles: the node gave up:") && last.contains("worker-process-1"), "\(last)")
    }

    /// A redis-server and `circles launch` of one circle with `workerProcesses` worker processes, once
    /// they have all started.
    static func launchOneCircle(workerProcesses: Int) async throws
        -> (redis: RedisServer, directory: String, launcher: (process: ChildProcess, out: String, err: String))
    {
        let redis = try await onDedicatedThread { try RedisServer() }
        let directory = try TemporaryDirectory.make(prefix: "circles-launch-one")
        let launcher = try await CirclesBinary.launch(in: directory, config: { #"[{"name": "solo", "port": \#($0), "policy": {"grants": {"*": ["data"]}}}]"# },
                                                      ["--redis-url", redis.url, "--worker-processes", String(workerProcesses)],
                                                      until: { _, err in workerPIDs(err).count == workerProcesses })
        return (redis, directory, launcher)
    }

    static func workerPIDs(_ log: String) -> [pid_t] {
        log.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "worker process ") , line.hasSuffix(" started") else { return nil }
            return pid_t(line[range.upperBound...].split(separator: " ").first ?? "")
        }
    }
}
