import CirclesTestSupport
import Codecs
import CircleClient
import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// `--public-host` on a node bound to every address (issue 16): the node knows its own names, answers no
/// other `Host` (421), and takes only bound signatures that name one of them, so a relay that forwards
/// its client's `Host` gets nothing.
@Suite struct PublicHostTests {
    static func publicNode(_ names: [String], authRequired: Bool = false, logger: RecordedLog? = nil) throws -> NodeRig {
        try NodeRig(logger: logger?.logger) {
            $0.host = "0.0.0.0"
            $0.publicHosts = names
            $0.authRequired = authRequired
        }
    }

    /// A session on `rig` opened with `host` as its `Host`.
    static func connect(_ rig: NodeRig, host: String) async throws -> RPCPeer {
        let (connection, events) = try await WebSocketClient.connect(to: "ws://127.0.0.1:\(rig.port)/\(rig.circle)", headers: [("Host", host)])
        return RPCPeer(connection: connection, events: events)
    }

    @Test func aPublicNodeAnswersItsNamesOnlyAnd421ForOthers() async throws {
        let rig = try Self.publicNode(["node.example", "API.example:8443"])
        let refused = try await rig.get("/health", headers: ["Host": "evil.example"])
        #expect(refused.status == 421)
        #expect(!refused.body.contains(rig.circle))
        for host in ["evil.example:\(rig.port)", "node.example.evil.example", "api.example", "api.example:8444", "127.0.0.1:\(rig.port)", ""] {
            #expect(try await rig.get("/health", headers: ["Host": host]).status == 421, "Host \(host)")
        }
        for host in ["node.example", "NODE.example:\(rig.port)", "node.example:443", "api.example:8443"] {
            let health = try await rig.get("/health", headers: ["Host": host])
            #expect([200, 503].contains(health.status), "Host \(host)")
            #expect(health.body.contains(rig.circle))
        }
        await #expect(throws: WebSocketClientError.self) { _ = try await Self.connect(rig, host: "evil.example:\(rig.port)") }
        let peer = try await Self.connect(rig, host: "node.example:\(rig.port)")
        #expect(try await peer.call("play", ["script": "1 + 1"])["result"]?["output"]?.stringValue == "2")
        try await rig.stop()
    }

    @Test func boundSignaturesMustNameAPublicName() async throws {
        let rig = try Self.publicNode(["node.example"], authRequired: true)
        let key = PrivateKey()
        for (signedFor, accepted) in [("evil.example", false), ("node.example:\(rig.port)", true)] {
            let peer = try await Self.connect(rig, host: "node.example:\(rig.port)")
            let nonce = try await AuthenticationTests.nonce(peer, for: key.publicKey.hex)
            let signature = Hex.encode(key.signCompact(SignatureDomain.authentication(host: signedFor, circle: rig.circle, nonce: nonce)))
            let reply = try await AuthenticationTests.authenticate(peer, pubkey: key.publicKey.hex, signature: signature)
            #expect((reply["result"]?["authenticated"] == .bool(true)) == accepted, "signed for \(signedFor): \(reply)")
        }
        try await rig.stop()
    }

    /// On a loopback bind with public names, local clients still authenticate under the loopback names.
    @Test func aLoopbackNodeWithPublicNamesStillTakesItsLoopbackNames() async throws {
        let rig = try NodeRig {
            $0.publicHosts = ["node.example"]
            $0.authRequired = true
        }
        #expect(try await rig.get("/health", headers: ["Host": "evil.example"]).status == 421)
        let key = PrivateKey()
        for host in ["127.0.0.1:\(rig.port)", "node.example"] {
            let peer = try await Self.connect(rig, host: host)
            let nonce = try await AuthenticationTests.nonce(peer, for: key.publicKey.hex)
            let signature = Hex.encode(key.signCompact(SignatureDomain.authentication(host: host, circle: rig.circle, nonce: nonce)))
            let reply = try await AuthenticationTests.authenticate(peer, pubkey: key.publicKey.hex, signature: signature)
            #expect(reply["result"]?["authenticated"] == .bool(true), "\(host): \(reply)")
        }
        try await rig.stop()
    }

    /// The session's own check, past the admission: with public names, a bound signature over any other
    /// host is refused even when the connection's `Host` says that host.
    @Test func theSessionRefusesABoundSignatureForAHostOutsideThePublicNames() {
        let key = PrivateKey()
        let circle = PrivateKey().publicKey.hex
        let nonce = String(repeating: "ab", count: 32)
        var settings = SessionSettings(circle: circle)
        settings.host = "evil.example"
        let signature = Hex.encode(key.signCompact(SignatureDomain.authentication(host: "evil.example", circle: circle, nonce: nonce)))
        #expect(CircleSession.check(signature, by: .secp256k1(key.publicKey), nonce: nonce, settings: settings) == nil)
        settings.publicHosts = ["node.example"]
        #expect(CircleSession.check(signature, by: .secp256k1(key.publicKey), nonce: nonce, settings: settings) != nil)
        settings.host = "Node.Example"
        let own = Hex.encode(key.signCompact(SignatureDomain.authentication(host: "node.example", circle: circle, nonce: nonce)))
        #expect(CircleSession.check(own, by: .secp256k1(key.publicKey), nonce: nonce, settings: settings) == nil)
    }

    /// A relay that forwards its client's `Host`: on a public bind without names the honest node takes
    /// the client's bound signature (which names the relay) and the relay plays as the client; with
    /// `--public-host` the relayed upgrade gets 421 and nobody is logged in.
    @Test func aHostForwardingRelayWinsOnAnUnnamedPublicBindAndLosesWithPublicHost() async throws {
        let victim = PrivateKey()
        let open = try Self.publicNode([], authRequired: true)
        let relay = try AuthRelay(honest: "127.0.0.1:\(open.port)", forwardHost: true)
        defer { relay.stop() }
        let client = try CircleClient.Builder(url: "ws://127.0.0.1:\(relay.port)/\(open.circle)").keyPair(victim).timeout(20).build()
        try await client.connect()
        _ = try await client.authenticate()
        try await Wait.until(timeout: 60, "the relay's own play on the unnamed public node") { relay.hijacked != nil }
        #expect(relay.hijacked == victim.publicKey.hex)
        await client.close()
        try await open.stop()

        let named = try Self.publicNode(["node.example"], authRequired: true)
        let relay2 = try AuthRelay(honest: "127.0.0.1:\(named.port)", forwardHost: true)
        defer { relay2.stop() }
        let client2 = try CircleClient.Builder(url: "ws://127.0.0.1:\(relay2.port)/\(named.circle)").keyPair(victim).timeout(20).build()
        await #expect(throws: (any Error).self) {
            try await client2.connect()
            _ = try await client2.authenticate()
        }
        await client2.close()
        #expect(relay2.hijacked == nil)
        try await named.stop()
    }

    @Test func aPublicBindWithoutNamesWarnsAtStartAndALoopbackBindDoesNot() async throws {
        let log = RecordedLog()
        let open = try Self.publicNode([], logger: log)
        #expect(log.lines.withLock { $0.contains { $0.hasPrefix("warning") && $0.contains("--public-host") } })
        try await open.stop()
        let quiet = RecordedLog()
        let named = try Self.publicNode(["node.example"], logger: quiet)
        let loopback = try NodeRig(logger: quiet.logger)
        #expect(!quiet.lines.withLock { $0.contains { $0.contains("--public-host") } })
        try await named.stop()
        try await loopback.stop()
    }

    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"))
    func serveTakesPublicHostAndWarnsWithoutIt() async throws {
        let circle = PrivateKey().publicKey.hex
        let named = try await ServeProcess.start(["--host", "0.0.0.0", "--public-host", "node.example", "--public-host", "other.example"], circle: circle)
        defer { _ = named.process.kill(SIGKILL) }
        let port = try #require(URL(string: named.url)?.port)
        #expect(named.url == "ws://node.example:\(port)/\(circle)", "the announced URL names the public host")
        #expect(try await LauncherPublicHostTests.status(port: port, host: "evil.example:\(port)") == 421)
        #expect([200, 503].contains(try await LauncherPublicHostTests.status(port: port, host: "node.example:\(port)")))
        #expect([200, 503].contains(try await LauncherPublicHostTests.status(port: port, host: "other.example")))
        #expect(!CirclesBinary.read(named.err).contains("--public-host"))
        #expect(ChildProcess.exitCode(of: await named.process.stop(SIGTERM)) == 0)

        let unnamed = try await ServeProcess.start(["--host", "0.0.0.0"], circle: circle)
        defer { _ = unnamed.process.kill(SIGKILL) }
        try await Wait.until(timeout: 30, "the warning about the unchecked Host") { CirclesBinary.read(unnamed.err).contains("without --public-host") }
        #expect(ChildProcess.exitCode(of: await unnamed.process.stop(SIGTERM)) == 0)
    }

    @Test(arguments: ["", "http://node.example", "node.example/x", "node example", "node.example:0", "node.example:99999", ":80", "2001:db8::1",
                      String(repeating: "a", count: 256)])
    func aMalformedPublicHostIsRefusedAtStart(name: String) {
        #expect(throws: NodeError.self) { _ = try Self.publicNode([name]) }
    }
}
