import CirclesCore
import CirclesTestSupport
import Foundation
import TestSupport
import Testing
@testable import CirclesNode

/// Issue 14: `/metrics` counts what the limits refused and stopped.
@Suite struct NodeLimitMetricsTests {
    static func value(_ metrics: String, _ series: String) -> Int {
        let line = metrics.split(separator: "\n").first { $0.hasPrefix(series + " ") }
        return Int(line?.split(separator: " ").last ?? "") ?? -1
    }

    @Test(.timeLimit(.minutes(2))) func connectionsRefusedPerIPAndPlaysStoppedByTheirTimeLimitAreCounted() async throws {
        let rig = try NodeRig {
            $0.maxConnectionsPerIP = 2
            var policy = CirclePolicy()
            policy.limits.maxOperations = 0
            policy.limits.timeout = 0.3
            $0.circles[0].policy = policy
        }
        let peer = try await rig.connect()
        let reply = try await peer.call("play", ["script": "loop { }"])
        #expect(reply["error"]?["data"]?["kind"]?.stringValue == "timeout")
        let holder = try BlockingSocket(port: rig.port)
        try await Wait.until(timeout: 10, "two connections from this address") { rig.node.runtime.server.current?.connectionCount == 2 }
        let refused = try BlockingSocket(port: rig.port)
        #expect(String(decoding: await refused.readToEnd(), as: UTF8.self).hasPrefix("HTTP/1.1 503"))
        holder.hangUp()
        try await Wait.until(timeout: 10, "the held connection to close") { rig.node.runtime.server.current?.connectionCount == 1 }
        let metrics = try await rig.get("/metrics").body
        #expect(Self.value(metrics, #"circles_connections_refused_total{limit="per_ip"}"#) == 1)
        #expect(Self.value(metrics, #"circles_connections_refused_total{limit="max_connections"}"#) == 0)
        #expect(Self.value(metrics, #"circles_plays_stopped_total{limit="time"}"#) == 1)
        #expect(Self.value(metrics, #"circles_accept_errors_total{cause="fd_limit"}"#) == 0)
        try await rig.stop()
    }

    static func seconds(_ metrics: String, _ series: String) -> Double {
        let line = metrics.split(separator: "\n").first { $0.hasPrefix(series + " ") }
        return Double(line?.split(separator: " ").last ?? "") ?? -1
    }

    @Test(.timeLimit(.minutes(2))) func eachCirclesShareOfTheWorkersIsOnMetrics() async throws {
        let other = PrivateKey().publicKey.hex
        let rig = try NodeRig {
            var policy = CirclePolicy.open
            policy.limits.maxOperations = 0
            policy.limits.timeout = 3  // long enough for a loaded machine's scrape to see it running
            $0.circles[0].policy = policy
            $0.circles.append(NodeOptions.Circle(publicKey: other, name: "other", policy: .open))
        }
        let (busy, idle) = (#"circles_worker_running{circle="\#(rig.circle)"}"#, #"circles_worker_running{circle="\#(other)"}"#)
        let (busySeconds, idleSeconds) = (#"circles_worker_seconds_total{circle="\#(rig.circle)"}"#,
                                          #"circles_worker_seconds_total{circle="\#(other)"}"#)
        #expect(Self.value(try await rig.get("/metrics").body, busy) == 0)
        let peer = try await rig.connect()
        let play = Task { try await peer.call("play", ["script": "loop { }"]) }
        try await Wait.until(timeout: 30, "the looping play to hold a slot") { Self.value((try? await rig.get("/metrics").body) ?? "", busy) == 1 }
        #expect(try await play.value["error"]?["data"]?["kind"]?.stringValue == "timeout")
        let metrics = try await rig.get("/metrics").body
        #expect(Self.value(metrics, busy) == 0)
        #expect(Self.seconds(metrics, busySeconds) >= 2.9, "the play ran for its 3 s limit")
        #expect(Self.value(metrics, idle) == 0)
        #expect(Self.seconds(metrics, idleSeconds) == 0)
        try await rig.stop()
    }
}
