import CirclesTestSupport
import Codecs
import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// The node at its edges, over real sockets: credentials replayed on another connection, nonces
/// expiring after `nonceTTL`, a full nonce store, a full session mailbox, too many connections and
/// sessions, `/metrics` after real plays, and a play sent while the node drains.
@Suite struct NodeEdgeTests {
    static func nonce(_ peer: RPCPeer, for key: PrivateKey) async throws -> (nonce: String, expiresAt: Int64) {
        let reply = try await peer.call("fetch_nonce", ["pubkey": .string(key.publicKey.hex)])
        return (try #require(reply["result"]?["nonce"]?.stringValue, "\(reply)"), reply["result"]?["expires_at"]?.intValue ?? 0)
    }

    static func authenticate(_ peer: RPCPeer, _ key: PrivateKey, signing nonce: String) async throws -> JSON {
        try await peer.call("authenticate", ["pubkey": .string(key.publicKey.hex), "signature": .string(Hex.encode(key.signCompact(Array(nonce.utf8))))])
    }

    @Test func aNonceAndSignatureReplayedOnAnotherConnectionAreRefused() async throws {
        let rig = try NodeRig { $0.authRequired = true }
        let key = PrivateKey()
        let first = try await rig.connect()
        let nonce = try await Self.nonce(first, for: key).nonce
        // Replayed on a connection that fetched no nonce: there is none to consume there.
        let second = try await rig.connect()
        #expect(try await Self.authenticate(second, key, signing: nonce)["error"]?["code"]?.intValue == -32003)
        #expect(try await second.call("play", ["script": "1"])["error"]?["code"]?.intValue == -32001)
        // Replayed on a connection with a nonce of its own for the key: the signature is over the wrong nonce.
        let third = try await rig.connect()
        _ = try await Self.nonce(third, for: key)
        #expect(try await Self.authenticate(third, key, signing: nonce)["error"]?["code"]?.intValue == -32002)
        #expect(await third.closeCode() == 1008)
        // The replays consumed nothing of the first connection's: it authenticates, once.
        #expect(try await Self.authenticate(first, key, signing: nonce)["result"]?["authenticated"] == .bool(true))
        #expect(try await Self.authenticate(first, key, signing: nonce)["error"]?["code"]?.intValue == -32003)
        #expect(try await second.call("whoami")["result"]?["authenticated"] == .bool(false))
        try await rig.stop()
    }

    @Test func theNodesNonceTTLExpiresNonces() async throws {
        let rig = try NodeRig {
            $0.authRequired = true
            $0.nonceTTL = 10
        }
        let peer = try await rig.connect()
        let asked = EmbeddedTaskQueue.wallClock()
        let expiry = Double(try await Self.nonce(peer, for: PrivateKey()).expiresAt)
        let answered = EmbeddedTaskQueue.wallClock()
        #expect(expiry >= (asked + 10).rounded(.down) && expiry <= answered + 10, "expires_at is the TTL after issuing: \(asked) \(expiry) \(answered)")
        // Within the TTL a nonce is good (so what fails below is its age, not a lost nonce).
        let key = PrivateKey()
        let quick = try await Self.nonce(peer, for: key).nonce
        #expect(try await Self.authenticate(peer, key, signing: quick)["result"]?["authenticated"] == .bool(true))
        let other = try await rig.connect()
        let late = PrivateKey()
        let issued = EmbeddedTaskQueue.wallClock()
        let stale = try await Self.nonce(other, for: late).nonce
        try await Wait.until(timeout: 30, "the nonce's TTL to pass") { EmbeddedTaskQueue.wallClock() > issued + 10.5 }
        let reply = try await Self.authenticate(other, late, signing: stale)
        #expect(reply["error"]?["code"]?.intValue == -32003, "\(reply)")
        // A fresh nonce on the same connection works again.
        let again = try await Self.nonce(other, for: late).nonce
        #expect(try await Self.authenticate(other, late, signing: again)["result"]?["authenticated"] == .bool(true))
        try await rig.stop()
    }

    @Test func aFullNonceStoreRefusesNewNoncesClearlyAndRecovers() async throws {
        // Two nonces per event loop's store: a connection lives on one loop, so its third key finds the store full.
        let rig = try NodeRig {
            $0.authRequired = true
            $0.nonceCapacity = 2 * EventLoopGroup.shared.loops.count
        }
        let peer = try await rig.connect()
        let (a, b, c) = (PrivateKey(), PrivateKey(), PrivateKey())
        let nonceA = try await Self.nonce(peer, for: a).nonce
        _ = try await Self.nonce(peer, for: b)
        let full = try await peer.call("fetch_nonce", ["pubkey": .string(c.publicKey.hex)])
        #expect(full["error"]?["code"]?.intValue == -32603, "\(full)")
        #expect(full["error"]?["data"]?.stringValue?.contains("nonce store is full") == true, "\(full)")
        // Using a nonce frees its place.
        #expect(try await Self.authenticate(peer, a, signing: nonceA)["result"]?["authenticated"] == .bool(true))
        let nonceC = try await Self.nonce(peer, for: c).nonce
        #expect(try await Self.authenticate(peer, c, signing: nonceC)["result"]?["authenticated"] == .bool(true))
        try await rig.stop()
    }

    @Test func aFullSessionMailboxClosesThatConnectionWith1008() async throws {
        let rig = try NodeRig { $0.sessionMailbox = 2 }
        let calm = try await rig.connect()
        let flood = try await rig.connect()
        // The session runs on its connection's event loop: a burst read at once fills its mailbox
        // before it takes the first frame.
        let frame = RPCRequest(method: "whoami", params: nil, id: .int(1)).json.serialized
        for _ in 0..<2_000 { flood.connection.send(text: frame) }
        #expect(await flood.closeCode() == 1008)
        #expect(try await calm.call("play", ["script": "\"calm\""])["result"]?["output"]?.stringValue == "calm")
        try await rig.stop()
    }

    @Test func connectionsOverTheLimitAreRefusedAndASessionStillPlayingHoldsItsPlace() async throws {
        let key = PrivateKey().publicKey.hex
        let rig = try NodeRig {
            $0.maxConnections = 1
            $0.circles = [NodeOptions.Circle(publicKey: key, policy: .patient)]
        }
        let first = try await rig.connect(path: key)
        await #expect { _ = try await rig.connect(path: key) } throws: { error in
            guard case WebSocketClientError.handshakeRefused(let status, _) = error else { return false }
            return status == 503
        }
        // The first session's play is in flight when its connection closes: the session lives on until
        // the play ends, so a new connection is admitted but finds no room for a session (1013).
        let held = try rig.held(in: key)
        first.send("play", ["script": .string(HeldScript.source)])
        try await Wait.until(timeout: 30, "the play to run") { held.hasStarted }
        first.connection.close()
        var codes: [UInt16?] = []
        try await Wait.until(timeout: 30, "a connection admitted and closed for want of a session") {
            guard let peer = try? await rig.connect(path: key) else { return false }
            let code = await peer.closeCode(timeout: 10)
            codes.append(code)
            return code == 1013
        }
        #expect(held.release())
        try await Wait.until(timeout: 30, "room for a session once the held play ended") {
            guard let peer = try? await rig.connect(path: key) else { return false }
            let reply = try? await peer.call("play", ["script": "\"room again\""])
            peer.connection.close()
            return reply?["result"]?["output"]?.stringValue == "room again"
        }
        try await rig.stop()
    }

    @Test func metricsCountRejectedPlaysAuthenticationsAndLatencyBuckets() async throws {
        let rig = try NodeRig {
            $0.authRequired = true
            $0.maxInFlightPerSession = 64
        }
        let peer = try await rig.connect()
        #expect(try await peer.call("play", ["script": "1"])["error"]?["code"]?.intValue == -32001)
        let key = PrivateKey()
        _ = try await peer.authenticate(with: key)
        for index in 0..<3 { _ = try await peer.call("play", ["script": .string("\(index) + 1")]) }
        _ = try await peer.call("play", ["script": "throw \"no\""])
        let forger = try await rig.connect()
        let nonce = try await Self.nonce(forger, for: key).nonce
        _ = try await forger.call("authenticate", ["pubkey": .string(key.publicKey.hex),
                                                   "signature": .string(Hex.encode(PrivateKey().signCompact(Array(nonce.utf8))))])
        let body = try await rig.get("/metrics").body
        let values = Self.samples(body)
        #expect(values["circles_plays_total{outcome=\"completed\"}"] == 3, "\(body)")
        #expect(values["circles_plays_total{outcome=\"script_error\"}"] == 1)
        #expect(values["circles_plays_total{outcome=\"rejected\"}"] == 1)
        #expect(values["circles_auth_total{result=\"success\"}"] == 1)
        #expect(values["circles_auth_total{result=\"failure\"}"] == 1)
        // Four answered plays: the histogram counts them, its buckets are cumulative and end at the count.
        let buckets = Histogram.latencyBuckets.map { values["circles_play_seconds_bucket{le=\"\(Self.format($0))\"}"] ?? -1 }
        #expect(!buckets.contains(-1), "every bucket is shown: \(body)")
        #expect(buckets == buckets.sorted(), "cumulative: \(buckets)")
        #expect(values["circles_play_seconds_bucket{le=\"+Inf\"}"] == 4)
        #expect(values["circles_play_seconds_count"] == 4)
        #expect((buckets.last ?? 0) == 4, "a play over 30 s? \(buckets)")
        #expect((values["circles_play_seconds_sum"] ?? 0) > 0)
        try await rig.stop()
    }

    @Test func aNewPlayDuringTheDrainIsRefusedAndThePlayInFlightAnswered() async throws {
        let key = PrivateKey().publicKey.hex
        let rig = try NodeRig(patient: key) { $0.shutdownDeadline = 120 }
        let held = try rig.held(in: key)
        let peer = try await rig.connect(path: key)
        let heldId = peer.send("play", ["script": .string(HeldScript.source)])
        try await Wait.until(timeout: 30, "the play to run") { held.hasStarted }
        rig.node.stop()
        try await Wait.until(timeout: 30, "the listener to close") { rig.node.runtime.server.current == nil }
        let late = try await peer.call("play", ["script": "\"too late\""])
        #expect(late["error"]?["code"]?.intValue == -32603, "\(late)")
        #expect(late["error"]?["data"]?.stringValue?.contains("shutting down") == true, "\(late)")
        #expect(held.release())
        let reply = try await peer.next()
        #expect(reply["id"]?.intValue == heldId)
        #expect(reply["result"]?["output"]?.stringValue == HeldScript.output, "\(reply)")
        #expect(await peer.closeCode() == 1001)
        try await rig.running.value
    }

    /// `name{labels} value` lines of a Prometheus text body.
    static func samples(_ body: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in body.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        return values
    }

    /// A bound as the registry prints it.
    static func format(_ bound: Double) -> String { MetricsRegistry.format(bound) }
}
