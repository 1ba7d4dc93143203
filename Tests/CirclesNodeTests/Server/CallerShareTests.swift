import CirclesCore
import CirclesTestSupport
import Foundation
import TestSupport
import Testing
@testable import CirclesNode

/// Issue 14: one caller with many sessions cannot hold all of a node's workers.
@Suite struct CallerShareTests {
    @Test(.timeLimit(.minutes(2))) func oneCallerWithManySessionsIsCappedWhileAnotherIsAnsweredPromptly() async throws {
        // The other caller plays in another circle: the greedy caller's held play holds its own circle's turn.
        let second = PrivateKey().publicKey.hex
        let rig = try NodeRig {
            $0.authRequired = true
            $0.workerConcurrency = 8
            $0.maxInFlightPerCaller = 4
            $0.circles[0].policy = .patient
            $0.circles.append(NodeOptions.Circle(publicKey: second, name: "second", policy: .open))
        }
        let held = try HeldScript(dataDirectory: rig.node.options.dataDirectory, circle: rig.circle)
        let greedy = PrivateKey()
        var sessions: [RPCPeer] = []
        for _ in 0..<4 {
            let peer = try await rig.connect()
            #expect(try await peer.authenticate(with: greedy)["result"]?["authenticated"]?.boolValue == true)
            sessions.append(peer)
        }
        // 16 plays over four sessions: the first session's 4 run, the other 12 are refused at once.
        for _ in 0..<4 { sessions[0].send("play", ["script": .string(HeldScript.source)]) }
        try await Wait.until(timeout: 20, "the first four plays to be in flight") {
            rig.node.runtime.callers?.inFlight(greedy.publicKey.hex) == 4
        }
        var refusals: [JSON] = []
        for peer in sessions.dropFirst() {
            for _ in 0..<4 { peer.send("play", ["script": .string(HeldScript.source)]) }
            for _ in 0..<4 { refusals.append(try await peer.next(timeout: 20)) }
        }
        #expect(refusals.count == 12)
        #expect(refusals.allSatisfy { $0["error"]?["code"]?.intValue == Int64(RPCError.tooManyRequestsCode) })
        #expect(refusals.first?["error"]?["message"]?.stringValue == "Too many plays in flight for this caller")
        #expect(rig.node.runtime.callers?.inFlight(greedy.publicKey.hex) == 4)

        let other = try await rig.connect(path: second)
        _ = try await other.authenticate(with: PrivateKey())
        let started = Date()
        #expect(try await other.call("play", ["script": "40 + 2"])["result"]?["output"]?.stringValue == "42")
        #expect(Date().timeIntervalSince(started) < 10)

        let metrics = try await rig.get("/metrics").body
        #expect(metrics.contains("circles_plays_refused_total{reason=\"caller_in_flight\"} 12"))
        #expect(held.release())
        var outputs: [String] = []
        for _ in 0..<4 { outputs.append(try await sessions[0].next(timeout: 60)["result"]?["output"]?.stringValue ?? "") }
        #expect(outputs == Array(repeating: HeldScript.output, count: 4))
        try await Wait.until(timeout: 10, "the caller's count to drop") { rig.node.runtime.callers?.callers == 0 }
        try await rig.stop()
    }

    @Test func sharesAreCountedPerCallerAndReleased() {
        let shares = CallerShares(limit: 2)
        #expect(shares.acquire("a") && shares.acquire("a"))
        #expect(!shares.acquire("a"))
        #expect(shares.acquire("b"))
        shares.release("a")
        #expect(shares.acquire("a"))
        shares.release("a"); shares.release("a"); shares.release("b")
        #expect(shares.callers == 0)
    }
}
