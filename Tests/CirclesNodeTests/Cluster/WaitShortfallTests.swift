import CirclesTestSupport
import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Synchronization
import Transport

/// `--redis-wait-replicas N` against a master without its replica (issue 18): every commit's `WAIT`
/// falls short, the play is answered all the same (after the WAIT's timeout), `/metrics` counts the
/// shortfalls and the log warns, once per 10 s.
@Suite struct WaitShortfallTests {
    static func shortfalls(_ rig: NodeRig) async throws -> Int? {
        let metrics = try await rig.get("/metrics").body
        let line = metrics.split(separator: "\n").first { $0.hasPrefix("circles_redis_wait_shortfalls_total ") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") }
    }

    @Test func aMissingReplicaIsCountedAndWarnedAboutAndThePlayIsStillAnswered() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        let log = RecordedLog()
        let rig = try NodeRig(logger: log.logger) {
            $0.redisURL = redis.url
            $0.taskSecret = TestTaskSecret.secret
            $0.redisWaitReplicas = 1
            $0.playTimeout = 20
        }
        #expect(try await Self.shortfalls(rig) == 0)
        let peer = try await rig.connect()
        for value in 1...2 {
            let reply = try await peer.call("play", ["script": .string("save_data(\"k\", \(value)); load_data(\"k\")")])
            #expect(reply["result"]?["output"]?.stringValue == "\(value)", "\(reply)")
        }
        // Counted by the worker just after the answer went out.
        try await Wait.until(timeout: 30, "both shortfalls on /metrics") { (try? await Self.shortfalls(rig)) == 2 }
        let warnings = log.lines.withLock { $0.filter { $0.hasPrefix("warning") && $0.contains("WAIT got 0 of 1") } }
        #expect(warnings.count == 1, "one warning within 10 s: \(warnings)")
        try await rig.stop()
    }

    @Test func withoutWaitReplicasNothingIsCounted() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        let rig = try NodeRig {
            $0.redisURL = redis.url
            $0.taskSecret = TestTaskSecret.secret
            $0.playTimeout = 20
        }
        let peer = try await rig.connect()
        #expect(try await peer.call("play", ["script": "save_data(\"k\", 1); 1"])["result"]?["output"]?.stringValue == "1")
        #expect(try await Self.shortfalls(rig) == 0)
        try await rig.stop()
    }

    @Test func theReporterWarnsAtMostOnceEvery10Seconds() {
        let log = RecordedLog()
        let metrics = NodeMetrics()
        let now = Mutex(0.0)
        let report = WorkerService.shortfallReporter("w", log.logger, wanted: 2, metrics: metrics) { now.withLock { $0 } }
        report(1)
        report(0)
        now.withLock { $0 = 10.5 }
        report(1)
        #expect(metrics.redisWaitShortfalls.current == 3)
        let lines = log.lines.withLock { $0 }
        #expect(lines.count == 2)
        #expect(lines.last?.contains("WAIT got 1 of 2") == true && lines.last?.contains("1 more shortfalls") == true, "\(lines)")
    }
}
