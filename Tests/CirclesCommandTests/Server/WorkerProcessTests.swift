import CirclesCore
import CirclesTestSupport
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// `circles worker` as real processes against a real redis-server: a worker killed with SIGKILL in
/// the middle of a task, and the caller still gets its answer, once, from another worker the test starts
/// (the launcher's supervisor starting it is `LaunchWithWorkerProcessesTests`).
@Suite struct WorkerProcessTests {
    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"), .timeLimit(.minutes(2)))
    func aTaskOfAWorkerKilledMidTaskIsRunByAnotherWorkerAndAnsweredOnce() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        let rig = try NodeRig(redis: redis.url, workers: false) {
            $0.playTimeout = 120
        }
        let directory = try TemporaryDirectory.make(prefix: "circles-workers")
        let arguments = try WorkerCommand.arguments(redis: redis.url, circle: rig.circle, directory: directory, ["--visibility-timeout", "3"])
        try FileManager.default.createDirectory(atPath: directory + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/b", withIntermediateDirectories: true)
        let first = try CirclesBinary.start(arguments, in: directory + "/a")
        let peer = try await rig.connect()
        // The script runs until the test lets it end, which it does only after the first worker is dead,
        // so that worker cannot finish it whatever the machine's load.
        let held = try HeldScript(dataDirectory: directory + "/data", circle: rig.circle)
        let id = peer.send("play", ["script": .string(HeldScript.source)])
        try await Wait.until(timeout: 30, "the first worker to run the script") { held.hasStarted }
        await first.process.stop(SIGKILL)
        #expect(held.release())
        let second = try CirclesBinary.start(arguments, in: directory + "/b")
        let reply = try await peer.next()
        #expect(reply["id"]?.intValue == id)
        #expect(reply["result"]?["output"]?.stringValue == HeldScript.output, "\(reply)")
        // Answered once: after two visibility timeouts and a heartbeat round, the time a redelivery (of a
        // task not marked done) would take, the next frame is the answer to a new call, not a second one.
        let answered = Wait.now()
        try await Wait.until(timeout: 30, "a redelivery's window to pass") { Wait.now() > answered + 2 * 3 + 2 }
        #expect(try await peer.call("whoami")["result"]?["circle"]?.stringValue == rig.circle, "no second answer came first")
        #expect(CirclesBinary.read(second.err).contains("taking tasks"))
        let status = await second.process.stop(SIGTERM)
        #expect(ChildProcess.exitCode(of: status) == 0)
        try await rig.stop()
    }

    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"), .timeLimit(.minutes(2)))
    func sigtermFinishesTheRunningScriptTakesNoMoreAndExits0() async throws {
        let rig = try await GatewayRig()
        defer { rig.stop() }
        let (redis, client, gateway) = (rig.redis, rig.client, rig.gateway)
        let directory = try TemporaryDirectory.make(prefix: "circles-worker-stop")
        let circle = PrivateKey().publicKey.hex
        // Two slots: one runs the held script, the other waits in Redis for a task when the signal comes.
        let arguments = try WorkerCommand.arguments(redis: redis.url, circle: circle, directory: directory, ["--concurrency", "2"])
        let worker = try CirclesBinary.start(arguments, in: directory)
        try await Wait.until(timeout: 30, "the worker to take tasks") { CirclesBinary.read(worker.err).contains("taking tasks") }
        let script = try HeldScript(dataDirectory: directory + "/data", circle: circle)
        let held = ScriptTask(circle: circle, caller: circle, script: HeldScript.source, createdAt: 0, timeout: 60)
        let heldAnswer = Task { try await gateway.submit(held, timeout: 90) }
        try await Wait.until(timeout: 30, "the held script to run") { script.hasStarted }
        worker.process.signal(SIGTERM)
        try await Wait.until(timeout: 30, "the worker to stop taking") { CirclesBinary.read(worker.err).contains("taking no new tasks") }
        let later = ScriptTask(circle: circle, caller: circle, script: "\"later\"", createdAt: 0, timeout: 60)
        let laterAnswer = Task { try await gateway.submit(later, timeout: 90) }
        try await Wait.until(timeout: 30, "the later task to be queued") { await gateway.depth(of: circle) == 1 }
        #expect(script.release())
        #expect(try await heldAnswer.value.outcome == .success(HeldScript.output))
        let status = await onDedicatedThread { worker.process.wait() }
        #expect(ChildProcess.exitCode(of: status) == 0)
        #expect(try await client.send(["HGET", "rhailib:\(later.id)", "status"]).string == "pending", "the stopping worker took no new task")
        #expect(await gateway.depth(of: circle) == 1)
        // Nothing is lost: the next worker runs it.
        let next = try CirclesBinary.start(arguments, in: directory)
        #expect(try await laterAnswer.value.outcome == .success("later"))
        #expect(ChildProcess.exitCode(of: await next.process.stop(SIGTERM)) == 0)
    }

    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"), .timeLimit(.minutes(2)))
    func aScriptStillRunningAtTheDeadlineIsStoppedAndItsTaskGivenBack() async throws {
        let rig = try await GatewayRig()
        defer { rig.stop() }
        let (redis, client, gateway) = (rig.redis, rig.client, rig.gateway)
        let directory = try TemporaryDirectory.make(prefix: "circles-worker-deadline")
        let circle = PrivateKey().publicKey.hex
        let arguments = try WorkerCommand.arguments(redis: redis.url, circle: circle, directory: directory,
                                                    ["--visibility-timeout", "2", "--shutdown-deadline", "0.5"])
        let first = try CirclesBinary.start(arguments, in: directory)
        let script = try HeldScript(dataDirectory: directory + "/data", circle: circle)
        let held = ScriptTask(circle: circle, caller: circle, script: HeldScript.source, createdAt: 0, timeout: 60)
        let answer = Task { try await gateway.submit(held, timeout: 90) }
        try await Wait.until(timeout: 30, "the held script to run") { script.hasStarted }
        let status = await first.process.stop(SIGTERM)
        #expect(CirclesBinary.read(first.err).contains("taking no new tasks"))
        #expect(ChildProcess.exitCode(of: status) == 0, "nothing lost: a clean exit")
        // One, or two when another slot's BLMOVE took it back from the queue as the worker stopped.
        #expect(CirclesBinary.read(first.err).contains("task(s) given back"))
        #expect(try await client.send(["HMGET", "rhailib:\(held.id)", "status", "deliveries"]).array?.compactMap(\.string) == ["pending", "0"],
                "back on its queue, the stopped delivery not counted")
        #expect(await gateway.depth(of: circle) == 1)
        #expect(script.release())
        let second = try CirclesBinary.start(arguments, in: directory)
        #expect(try await answer.value.outcome == .success(HeldScript.output))
        #expect(ChildProcess.exitCode(of: await second.process.stop(SIGTERM)) == 0)
    }
}
