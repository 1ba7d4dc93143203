#if canImport(Glibc)
import CirclesTestSupport
import Glibc
#endif
import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// Circle state in Redis mode, with real redis-servers and `circles worker` processes: one shared state
/// for every worker, no lost update, exactly one application of a play whose worker died after
/// writing, the commit of a worker paused past its lease refused, turns renewed while a play runs,
/// data kept across a Redis restart with AOF, and old data files imported.
@Suite struct CircleStateRedisTests {
    /// Increments `counter`, then holds until the test releases it (`HeldScript`'s hooks).
    static let heldIncrement = #"let v = 0; try { v = load_data("counter"); } catch { } save_data("counter", v + 1); test_hold_begin(); while !test_hold_released() { } v + 1"#

    static func counter(_ client: RedisClient, _ circle: String) async throws -> String? {
        try await client.send(["HGET", "rhailib:data:\(circle)", "counter"]).string
    }

    @Test(.enabled(if: CirclesBinary.isBuilt), .timeLimit(.minutes(3)))
    func twoWorkerProcessesShareOneStateAndLoseNoUpdate() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        let rig = try NodeRig(redis: redis.url, workers: false) {
            $0.authRequired = true
            $0.playTimeout = 120
            $0.maxInFlightPerCaller = 16
        }
        let directory = try TemporaryDirectory.make(prefix: "circles-state-redis")
        let workers = try (0..<2).map { index in
            let own = directory + "/\(index)"
            try FileManager.default.createDirectory(atPath: own, withIntermediateDirectories: true)
            let arguments = try WorkerCommand.arguments(redis: redis.url, circle: rig.circle, directory: own, ["--concurrency", "4"])
            return try CirclesBinary.start(arguments, in: own)
        }
        let (outputs, errors) = try await CircleStateNodeTests.lostUpdateProbe(url: rig.url)
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        #expect(Set(outputs) == Set((1...128).map(String.init)), "each play saw every earlier one, whichever worker ran it")
        let client = try RedisClient(redis.url, connections: 1)
        #expect(try await Self.counter(client, rig.circle) == "128")
        for worker in workers { #expect(ChildProcess.exitCode(of: await worker.process.stop(SIGTERM)) == 0) }
        try await rig.stop()
    }

    @Test(.enabled(if: CirclesBinary.isBuilt), .timeLimit(.minutes(3)))
    func aWorkerKilledAfterWritingAppliesNothingAndTheRedeliveryAppliesOnce() async throws {
        let rig = try await GatewayRig()
        defer { rig.stop() }
        let (redis, client, gateway) = (rig.redis, rig.client, rig.gateway)
        let directory = try TemporaryDirectory.make(prefix: "circles-state-kill")
        let circle = PrivateKey().publicKey.hex
        let arguments = try WorkerCommand.arguments(redis: redis.url, circle: circle, directory: directory, ["--visibility-timeout", "2"])
        let first = try CirclesBinary.start(arguments, in: directory)
        let held = try HeldScript(dataDirectory: directory + "/data", circle: circle)
        let play = ScriptTask(circle: circle, caller: circle, script: Self.heldIncrement, createdAt: 0, timeout: 100)
        let answer = Task { try await gateway.submit(play, timeout: 120) }
        try await Wait.until(timeout: 30, "the first worker to have written and be holding") { held.hasStarted }
        await first.process.stop(SIGKILL)
        #expect(try await Self.counter(client, circle) == nil, "nothing committed by the dead worker")
        #expect(held.release())
        let second = try CirclesBinary.start(arguments, in: directory)
        #expect(try await answer.value.outcome == .success("1"))
        #expect(try await Self.counter(client, circle) == "1")
        #expect(try await client.send(["HGET", "rhailib:\(play.id)", "deliveries"]).string == "2")
        let next = ScriptTask(circle: circle, caller: circle, script: #"load_data("counter")"#, createdAt: 0, timeout: 30)
        #expect(try await gateway.submit(next, timeout: 60).outcome == .success("1"))
        #expect(ChildProcess.exitCode(of: await second.process.stop(SIGTERM)) == 0)
    }

    @Test(.enabled(if: CirclesBinary.isBuilt), .timeLimit(.minutes(3)))
    func aWorkerPausedPastItsLeaseHasItsCommitRefused() async throws {
        let rig = try await GatewayRig()
        defer { rig.stop() }
        let (redis, client, gateway) = (rig.redis, rig.client, rig.gateway)
        let directory = try TemporaryDirectory.make(prefix: "circles-state-stop")
        let circle = PrivateKey().publicKey.hex
        // One slot: a paused worker's idle slots would go on claiming tasks in Redis (their BLMOVE and claim are already sent).
        let arguments = try WorkerCommand.arguments(redis: redis.url, circle: circle, directory: directory,
                                                    ["--visibility-timeout", "2", "--concurrency", "1"])
        let paused = try CirclesBinary.start(arguments, in: directory)
        let held = try HeldScript(dataDirectory: directory + "/data", circle: circle)
        let play = ScriptTask(circle: circle, caller: circle, script: Self.heldIncrement, createdAt: 0, timeout: 100)
        let answer = Task { try await gateway.submit(play, timeout: 120) }
        try await Wait.until(timeout: 30, "the first worker to have written and be holding") { held.hasStarted }
        paused.process.signal(SIGSTOP)
        #expect(held.release())
        let second = try CirclesBinary.start(arguments, in: directory)
        #expect(try await answer.value.outcome == .success("1"), "run again by the second worker once the lease lapsed")
        #expect(try await Self.counter(client, circle) == "1")
        paused.process.signal(SIGCONT)
        try await Wait.until(timeout: 30, "the paused worker's commit refused") { CirclesBinary.read(paused.err).contains("was refused") }
        #expect(try await Self.counter(client, circle) == "1", "the paused worker wrote nothing")
        #expect(try await client.send(["HGET", "rhailib:\(play.id)", "status"]).string == "completed")
        for worker in [paused, second] { #expect(ChildProcess.exitCode(of: await worker.process.stop(SIGTERM)) == 0) }
    }

    @Test(.timeLimit(.minutes(2))) func aRunningPlayKeepsItsTurnPastTheVisibilityTimeout() async throws {
        let rig = try await GatewayRig()
        defer { rig.stop() }
        let (client, gateway) = (rig.client, rig.gateway)
        let circle = PrivateKey().publicKey.hex
        var options = TestTaskSecret.signed(RedisTaskSource.Options())
        // Renewed every third of it: 4 s leaves a loaded machine's renewal thread (and heartbeat) 2.7 s to be late.
        options.visibilityTimeout = 4
        options.blockSeconds = 0.2
        let run = try WorkerRun(client: client, options: options, circles: [circle], concurrency: 2, policy: .patient)
        run.source.start(worker: "w")
        let held = try HeldScript(dataDirectory: run.dataDirectory, circle: circle)
        let long = ScriptTask(circle: circle, caller: circle, script: Self.heldIncrement, createdAt: 0, timeout: 100)
        let longAnswer = Task { try await gateway.submit(long, timeout: 120) }
        try await Wait.until(timeout: 30, "the long play running") { held.hasStarted }
        let next = ScriptTask(circle: circle, caller: circle, script: #"load_data("counter")"#, createdAt: 0, timeout: 30)
        let nextAnswer = Task { try await gateway.submit(next, timeout: 120) }
        // Three visibility timeouts: the turn stays the long play's, the next one waits parked.
        let until = Wait.now() + 3 * options.visibilityTimeout
        try await Wait.until(timeout: 30, "three visibility timeouts to pass") { Wait.now() >= until }
        #expect(try await client.send(["GET", "rhailib:turn:\(circle)"]).string?.hasPrefix(long.id + ":") == true)
        #expect(try await client.send(["HGET", "rhailib:\(next.id)", "status"]).string == "pending")
        #expect(try await client.send(["HGET", "rhailib:\(long.id)", "deliveries"]).string == "1")
        #expect(held.release())
        #expect(try await longAnswer.value.outcome == .success("1"))
        #expect(try await nextAnswer.value.outcome == .success("1"), "it ran after the long play's commit")
        try await run.stop()
    }

    @Test(.timeLimit(.minutes(3))) func anIdleCirclesPlayStartsPromptlyWhileAnotherIsFlooded() async throws {
        let rig = try await GatewayRig()
        defer { rig.stop() }
        let (client, gateway) = (rig.client, rig.gateway)
        let (busy, idle) = (PrivateKey().publicKey.hex, PrivateKey().publicKey.hex)
        var options = TestTaskSecret.signed(RedisTaskSource.Options())
        options.blockSeconds = 0.2
        let run = try WorkerRun(client: client, options: options, circles: [busy, idle], concurrency: 2)
        let plays = 24
        let done = CirclesNode.Counter()
        let flood = (0..<plays).map { _ in
            let task = ScriptTask(circle: busy, caller: busy, script: "let x = 0; for i in 0..300000 { x += i } x", createdAt: 0, timeout: 60)
            return Task {
                defer { done.increment() }
                return try await gateway.submit(task, timeout: 120)
            }
        }
        try await Wait.until(timeout: 30, "the flood to be parked behind its running play") {
            ((try? await client.send(["LLEN", "rhailib:parked:\(busy)"]))?.integer ?? 0) > 0
        }
        let prompt = ScriptTask(circle: idle, caller: idle, script: "\"prompt\"", createdAt: 0, timeout: 30)
        #expect(try await gateway.submit(prompt, timeout: 60).outcome == .success("prompt"))
        #expect(done.current < plays, "answered while the flooded circle still had plays waiting")
        for play in flood { #expect(try await play.value.outcome == .success("44999850000")) }
        try await run.stop()
    }

    @Test(.timeLimit(.minutes(2))) func dataWrittenWithAOFSurvivesARedisRestart() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-aof")
        let port = try FreePort.next()
        let arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                         "--dir", directory, "--daemonize", "no"]
        let executable = try Executables.find("redis-server")
        // Ready once its log says so (a port found free may be bound by another process meanwhile).
        func readies() -> Int { CirclesBinary.read(directory + "/redis.log").components(separatedBy: "Ready to accept connections").count - 1 }
        func start() async throws -> ChildProcess {
            let before = readies()
            let process = try ChildProcess(executable, arguments, log: directory + "/redis.log")
            try await Wait.until(timeout: 30, "redis-server to listen") { readies() > before || !process.isRunning }
            guard process.isRunning else { throw FreePort.Failure(description: "redis-server on \(port) exited: \(CirclesBinary.read(directory + "/redis.log").suffix(1500))") }
            return process
        }
        var server = try await start()
        let url = "redis://127.0.0.1:\(port)"
        let rig = try NodeRig(redis: url) {
            $0.playTimeout = 30
        }
        let peer = try await rig.connect()
        let saved = try await peer.call("play", ["script": #"save_data("order", 42); "saved""#])
        #expect(saved["result"]?["output"]?.stringValue == "saved", "\(saved)")
        await server.stop(SIGKILL)
        server = try await start()
        defer { server.kill() }
        try await Wait.until(timeout: 30, "the node to play again after the restart") {
            (try? await peer.call("play", ["script": #"load_data("order")"#]))?["result"]?["output"]?.stringValue == "42"
        }
        try await rig.stop()
    }

    @Test(.timeLimit(.minutes(2))) func oldDataFilesAreImportedIntoRedisOnce() async throws {
        let rig = try await GatewayRig()
        defer { rig.stop() }
        let (client, gateway) = (rig.client, rig.gateway)
        let circle = PrivateKey().publicKey.hex
        var options = TestTaskSecret.signed(RedisTaskSource.Options())
        options.blockSeconds = 0.2
        let run = try WorkerRun(client: client, options: options, circles: [circle], concurrency: 1)
        try await run.stop()
        let namespace = try PeerNamespace(base: run.dataDirectory, circle: circle)
        try namespace.save("counter", .int(41))
        try namespace.save("prefs/theme", .string("dark"))
        options.dataDirectory = run.dataDirectory
        let importing = WorkerRun(source: RedisTaskSource(client: client, options: options), client: client, dataDirectory: run.dataDirectory,
                                  circles: [circle])
        let play = ScriptTask(circle: circle, caller: circle, script: #"let c = load_data("counter") + 1; save_data("counter", c); `${c} ${list_data()}`"#,
                              createdAt: 0, timeout: 30)
        #expect(try await gateway.submit(play, timeout: 60).outcome == .success(#"42 ["counter", "prefs/theme"]"#))
        #expect(try await client.send(["HGET", "rhailib:datainfo:\(circle)", "imported"]).string == "1")
        try await importing.stop()
        // Another worker process seeing the same files later imports nothing: the circle's data stays as played.
        try namespace.save("counter", .int(7))
        let later = WorkerRun(source: RedisTaskSource(client: client, options: options), client: client, dataDirectory: run.dataDirectory,
                              circles: [circle])
        let check = ScriptTask(circle: circle, caller: circle, script: #"load_data("counter")"#, createdAt: 0, timeout: 30)
        #expect(try await gateway.submit(check, timeout: 60).outcome == .success("42"))
        try await later.stop()
    }
}
