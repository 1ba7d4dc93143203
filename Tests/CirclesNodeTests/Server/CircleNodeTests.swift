import CirclesTestSupport
import Codecs
import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// The node end to end over real sockets: sessions, authentication, play, health, metrics, limits,
/// bad input and graceful shutdown.
@Suite struct CircleNodeTests {
    @Test func anIndependentPythonClientAuthenticatesWithEachSignatureFormAndPlays() async throws {
        let rig = try NodeRig { $0.authRequired = true }
        let caller = PrivateKey()
        for form in ["compact", "recoverable", "eth"] {
            let report = try await onDedicatedThread {
                try Python.runJSON(script: "circle_client.py", arguments: [rig.url, caller.hex, form, "print(`from ${CALLER_PUBLIC_KEY}`); 6 * 7"])
            }
            #expect(report["auth"]["result"]["authenticated"].bool == true, "\(form)")
            #expect(report["play"]["result"]["output"].string == "42", "\(form)")
            #expect((report["play"]["result"]["logs"].raw as? [String]) == ["from \(caller.publicKey.hex)"], "\(form)")
        }
        try await rig.stop()
    }

    @Test func playRunsInTheCirclesContextAndErrorsCarryKindAndPosition() async throws {
        let rig = try NodeRig { $0.authRequired = true }
        let peer = try await rig.connect()
        #expect(try await peer.call("play", ["script": "1"])["error"]?["code"]?.intValue == -32001)
        let caller = PrivateKey()
        #expect(try await peer.authenticate(with: caller)["result"]?["authenticated"] == .bool(true))
        let context = try await peer.call("play", ["script": "CALLER_PUBLIC_KEY + \" \" + CIRCLE_PUBLIC_KEY"])
        #expect(context["result"]?["output"]?.stringValue == "\(caller.publicKey.hex) \(rig.circle)")
        let failure = try await peer.call("play", ["script": "let x = 1;\nx + undefined_thing"])
        #expect(failure["error"]?["code"]?.intValue == -32000)
        #expect(failure["error"]?["data"]?["kind"]?.stringValue == "runtime")
        #expect(failure["error"]?["data"]?["line"]?.intValue == 2)
        let whoami = try await peer.call("whoami")
        #expect(whoami["result"]?["pubkey"]?.stringValue == caller.publicKey.hex)
        #expect(whoami["result"]?["circle"]?.stringValue == rig.circle)
        try await rig.stop()
    }

    @Test func aWrongSignatureIsRefusedAndClosesOnlyThatConnection() async throws {
        let rig = try NodeRig { $0.authRequired = true }
        let good = try await rig.connect()
        _ = try await good.authenticate(with: PrivateKey())
        let bad = try await rig.connect()
        let claimed = PrivateKey()
        let nonce = try await bad.call("fetch_nonce", ["pubkey": .string(claimed.publicKey.hex)])["result"]?["nonce"]?.stringValue ?? ""
        let forged = Hex.encode(PrivateKey().signCompact(Array(nonce.utf8)))
        let reply = try await bad.call("authenticate", ["pubkey": .string(claimed.publicKey.hex), "signature": .string(forged)])
        #expect(reply["error"]?["code"]?.intValue == -32002)
        #expect(await bad.closeCode() == 1008)
        #expect(try await good.call("play", ["script": "\"still here\""])["result"]?["output"]?.stringValue == "still here")
        try await rig.stop()
    }

    @Test func manyPlaysInFlightOnOneConnectionAreAnsweredById() async throws {
        let rig = try NodeRig { $0.maxInFlightPerSession = 64 }
        let peer = try await rig.connect()
        var expected: [Int64: String] = [:]
        for index in 0..<50 {
            let id = peer.send("play", ["script": .string("let s = 0; for i in 0..\(index * 100) { s += i } s")])
            expected[id] = String((0..<(index * 100)).reduce(0, +))
        }
        var answered: [Int64: String] = [:]
        while answered.count < expected.count {
            let reply = try await peer.next()
            answered[reply["id"]?.intValue ?? -1] = reply["result"]?["output"]?.stringValue
        }
        #expect(answered == expected)
        try await rig.stop()
    }

    @Test func playsOverThePerSessionLimitAreRefusedWithoutHurtingTheOthers() async throws {
        // Two held plays fill the session's two in-flight plays for as long as the test wants: the four sent
        // after them must each be refused, whatever the machine's load.
        let key = PrivateKey().publicKey.hex
        let rig = try NodeRig {
            $0.maxInFlightPerSession = 2
            $0.circles = [NodeOptions.Circle(publicKey: key, policy: .patient)]
        }
        let held = try rig.held(in: key)
        let peer = try await rig.connect(path: key)
        let heldIds = [peer.send("play", ["script": .string(HeldScript.source)]), peer.send("play", ["script": .string(HeldScript.source)])]
        let overIds = (0..<4).map { _ in peer.send("play", ["script": "1"]) }
        var refused: [Int64] = []
        for _ in overIds {
            let reply = try await peer.next()
            #expect(reply["error"]?["code"]?.intValue == -32004, "\(reply)")
            refused.append(reply["id"]?.intValue ?? -1)
        }
        #expect(refused.sorted() == overIds)
        #expect(held.release())
        var answered: [Int64] = []
        for _ in heldIds {
            let reply = try await peer.next()
            #expect(reply["result"]?["output"]?.stringValue == HeldScript.output, "\(reply)")
            answered.append(reply["id"]?.intValue ?? -1)
        }
        #expect(answered.sorted() == heldIds)
        #expect(try await peer.call("play", ["script": "\"free again\""])["result"]?["output"]?.stringValue == "free again")
        try await rig.stop()
    }

    @Test func unknownCirclesBinaryFramesAndBadJSONGetClearAnswers() async throws {
        let rig = try NodeRig()
        let stranger = PrivateKey().publicKey.hex
        await #expect { _ = try await rig.connect(path: stranger) } throws: { error in
            guard case WebSocketClientError.handshakeRefused(let status, _) = error else { return false }
            return status == 404
        }
        let peer = try await rig.connect()
        peer.connection.send(text: "{not json")
        #expect(try await peer.next()["error"]?["code"]?.intValue == -32700)
        #expect(try await peer.call("no_such_method")["error"]?["code"]?.intValue == -32601)
        #expect(try await peer.call("play", ["nope": 1])["error"]?["code"]?.intValue == -32602)
        let binary = try await rig.connect()
        binary.connection.send(binary: [1, 2, 3])
        #expect(await binary.closeCode() == 1003)
        let tooBig = try await rig.connect()
        tooBig.connection.send(text: String(repeating: "x", count: (1 << 20) + 1))
        #expect(await tooBig.closeCode() == 1009)
        #expect(try await peer.call("play", ["script": "1 + 1"])["result"]?["output"]?.stringValue == "2")
        try await Wait.until(timeout: 10, "the closed sessions to end") { rig.node.sessionCount == 1 }
        try await rig.stop()
    }

    @Test func healthShowsTheTreeAndMetricsCountWhatHappened() async throws {
        let rig = try NodeRig()
        let peer = try await rig.connect()
        _ = try await peer.call("play", ["script": "40 + 2"])
        _ = try await peer.call("play", ["script": "throw \"no\""])
        let health = try await rig.get("/health")
        #expect(health.status == 200)
        let tree = try JSONParser.parse(health.body)
        #expect(tree["status"]?.stringValue == "ok")
        #expect(tree["sessions"]?.intValue == 1)
        #expect(tree["queue_depth"]?[rig.circle]?.intValue == 0)
        let children = tree["supervisor"]?["children"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        // One nonce store per event loop ("nonces" alone on a one-core machine).
        #expect(children?.filter { $0.hasPrefix("nonces") }.count == EventLoopGroup.shared.loops.count)
        #expect(children?.filter { !$0.hasPrefix("nonces") } == ["queue", "workers", "sessions", "listener"])
        let sessions = tree["supervisor"]?["children"]?.arrayValue?.first { $0["id"]?.stringValue == "sessions" }?["subtree"]?["children"]?.arrayValue
        #expect(sessions?.count == 1)
        let metrics = try await rig.get("/metrics")
        #expect(metrics.status == 200)
        for line in ["circles_plays_total{outcome=\"completed\"} 1", "circles_plays_total{outcome=\"script_error\"} 1",
                     "circles_sessions 1", "circles_play_seconds_count 2", "circles_queue_depth{circle=\"\(rig.circle)\"} 0"] {
            #expect(metrics.body.contains(line), "\(line)")
        }
        // The worker counts a task right after answering it.
        let workerLines = ["circles_worker_tasks_total{outcome=\"completed\"} 1", "circles_worker_tasks_total{outcome=\"script_error\"} 1",
                           "circles_worker_tasks_total{outcome=\"given_back\"} 0", "circles_worker_queue_errors_total 0"]
        try await Wait.until(timeout: 10, "the worker's counts") {
            let body = (try? await rig.get("/metrics").body) ?? ""
            return workerLines.allSatisfy(body.contains)
        }
        try await rig.stop()
    }

    @Test func gracefulStopFinishesInFlightPlaysThenClosesWith1001() async throws {
        // The script runs until the test lets it end, which it does only once the stop has closed the
        // listener: the play is in flight for the whole drain whatever the machine's load.
        let key = PrivateKey().publicKey.hex
        let rig = try NodeRig(patient: key) { $0.shutdownDeadline = 120 }
        let held = try rig.held(in: key)
        let peer = try await rig.connect(path: key)
        let id = peer.send("play", ["script": .string(HeldScript.source)])
        try await Wait.until(timeout: 20, "the play to be running") { held.hasStarted }
        rig.node.stop()
        try await Wait.until(timeout: 20, "the listener to close") { rig.node.runtime.server.current == nil }
        #expect(rig.node.runtime.embedded?.activeCount == 1)
        #expect(held.release())
        let reply = try await peer.next()
        #expect(reply["id"]?.intValue == id)
        #expect(reply["result"]?["output"]?.stringValue == HeldScript.output, "\(reply)")
        #expect(await peer.closeCode() == 1001)
        try await rig.running.value
    }

    @Test func aHundredSessionsAtOnceEachAuthenticateAndPlayInTheCirclesOneNamespace() async throws {
        let rig = try NodeRig { $0.authRequired = true }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<100 {
                group.addTask {
                    let peer = try await rig.connect()
                    let caller = PrivateKey()
                    _ = try await peer.authenticate(with: caller)
                    let script = "save_data(\"peers/\" + CALLER_PUBLIC_KEY, \(index)); load_data(\"peers/\" + CALLER_PUBLIC_KEY) + 1"
                    let reply = try await peer.call("play", ["script": .string(script)])
                    peer.connection.close()
                    return reply["result"]?["output"]?.stringValue == String(index + 1)
                }
            }
            for try await ok in group { #expect(ok) }
        }
        let peer = try await rig.connect()
        _ = try await peer.authenticate(with: PrivateKey())
        #expect(try await peer.call("play", ["script": "list_data().len()"])["result"]?["output"]?.stringValue == "100", "every peer's entry, in the circle's one namespace")
        for escape in ["../outside", "/etc/passwd", "peers/../../x", "a/./b"] {
            let reply = try await peer.call("play", ["script": .string("load_data(\"\(escape)\")")])
            #expect(reply["error"]?["code"]?.intValue == -32000, "\(escape)")
            #expect(reply["error"]?["data"]?["line"]?.intValue == 1, "\(escape): \(reply)")
        }
        try await rig.stop()
    }

    @Test func anIdleSessionIsClosedAndTheNodeGoesOn() async throws {
        let rig = try NodeRig { $0.idleTimeout = 0.5 }
        let idle = try await rig.connect()
        idle.send("whoami")
        #expect(await idle.closeCode() == 1000)
        try await Wait.until(timeout: 30, "the idle session to end") { rig.node.sessionCount == 0 }
        let health = try await rig.get("/health")
        #expect(health.status == 200)
        #expect(try JSONParser.parse(health.body)["sessions"]?.intValue == 0)
        try await rig.stop()
    }

    @Test func aPortInUseFailsAtOnceWithAClearError() async throws {
        let rig = try NodeRig()
        var options = NodeOptions()
        options.port = rig.port
        options.circles = [NodeOptions.Circle(publicKey: rig.circle)]
        #expect { _ = try CircleNode(options: options) } throws: { error in
            "\(error)".contains("cannot listen on 127.0.0.1:\(rig.port)")
        }
        options.circles = [NodeOptions.Circle(publicKey: "02zz")]
        #expect { _ = try CircleNode(options: options) } throws: { "\($0)".contains("invalid circle public key 02zz") }
        try await rig.stop()
    }
}

/// The node over TLS: `wss://` with a certificate made at test time, authentication and play, and a
/// plain `ws://` client and a client trusting another authority refused without hurting the secure session.
@Suite struct CircleNodeTLSTests {
    @Test func authenticatesAndPlaysOverWSS() async throws {
        let certificate = try await TestCertificate.make()
        let rig = try NodeRig {
            $0.authRequired = true
            $0.tls = try TLSServerContext(certificateChainPath: certificate.certificatePath, privateKeyPath: certificate.keyPath)
        }
        let trust = try TLSClientContext(trust: .certificateAuthorityFile(certificate.caPath))
        let (connection, events) = try await WebSocketClient.connect(to: "wss://localhost:\(rig.port)/\(rig.circle)", tls: trust)
        let peer = RPCPeer(connection: connection, events: events)
        #expect(try await peer.authenticate(with: PrivateKey())["result"]?["authenticated"] == .bool(true))
        #expect(try await peer.call("play", ["script": "`secure ${40 + 2}`"])["result"]?["output"]?.stringValue == "secure 42")
        await #expect(throws: WebSocketClientError.self) { _ = try await rig.connect() }
        let otherAuthority = try await TestCertificate.make()
        let wrongTrust = try TLSClientContext(trust: .certificateAuthorityFile(otherAuthority.caPath))
        await #expect { _ = try await WebSocketClient.connect(to: "wss://localhost:\(rig.port)/\(rig.circle)", tls: wrongTrust) } throws: { error in
            "\(error)".contains("certificate")
        }
        #expect(try await peer.call("play", ["script": "1"])["result"]?["output"]?.stringValue == "1")
        try await rig.stop()
    }
}
