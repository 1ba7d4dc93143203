import CirclesCore
import CirclesTestSupport
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// `circles worker` as a real process across a restart of its redis-server: it stays up through the
/// outage, reconnects by itself and runs the tasks queued after the restart.
@Suite struct WorkerRedisRestartTests {
    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"), .timeLimit(.minutes(3)))
    func aWorkerRunsTasksAgainAfterItsRedisRestarts() async throws {
        let rig = try await GatewayRig()
        defer { rig.stop() }
        let (redis, gateway) = (rig.redis, rig.gateway)
        let directory = try TemporaryDirectory.make(prefix: "circles-worker-redis-restart")
        let circle = PrivateKey().publicKey.hex
        let arguments = try WorkerCommand.arguments(redis: redis.url, circle: circle, directory: directory)
        let worker = try CirclesBinary.start(arguments, in: directory)
        try await Wait.until(timeout: 30, "the worker to take tasks") { CirclesBinary.read(worker.err).contains("taking tasks") }
        let before = ScriptTask(circle: circle, caller: circle, script: "\"before\"", createdAt: 0, timeout: 30)
        #expect(try await gateway.submit(before, timeout: 60).outcome == .success("before"))

        // SIGKILL: no clean shutdown, every connection of the worker and the gateway dropped, and the
        // server comes back empty (no saved data, no loaded scripts) on the same port.
        redis.kill()
        try await onDedicatedThread { try redis.start() }
        var round = 0
        try await Wait.until(timeout: 90, "a task queued after the restart to be answered") {
            round += 1
            let after = ScriptTask(circle: circle, caller: circle, script: "\"after \(round)\"", createdAt: 0, timeout: 30)
            return (try? await gateway.submit(after, timeout: 20))?.outcome == .success("after \(round)")
        }
        #expect(worker.process.isRunning, "the worker rode out the outage: \(CirclesBinary.read(worker.err).suffix(500))")
        // And it keeps working: one more, at once.
        let later = ScriptTask(circle: circle, caller: circle, script: "40 + 2", createdAt: 0, timeout: 30)
        #expect(try await gateway.submit(later, timeout: 60).outcome == .success("42"))
        #expect(ChildProcess.exitCode(of: await worker.process.stop(SIGTERM)) == 0)
    }
}
