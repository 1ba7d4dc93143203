import CirclesTestSupport
import Codecs
import CircleClient
import CirclesCore
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// The client library end to end against a real node on 127.0.0.1 with an ephemeral port.
@Suite struct CircleClientNodeTests {
    static func client(_ url: String, key: PrivateKey? = PrivateKey(), _ configure: (CircleClient.Builder) -> CircleClient.Builder = { $0 })
        throws -> CircleClient {
        var builder = CircleClient.Builder(url: url).timeout(20)
        if let key { builder = builder.keyPair(key) }
        return try configure(builder).build()
    }

    /// A circle whose scripts may run without an operation limit for `seconds` of wall time.
    /// How long a test's endless play runs: the test must see it running, and its polls (on the
    /// cooperative pool, which the full suite keeps busy for seconds) may come late; the worker
    /// thread running the script does not wait for that pool.
    static let playWindow = 5.0

    static func slowCircle(_ options: inout NodeOptions, seconds: Double) {
        var limits = ScriptLimits()
        limits.maxOperations = 0
        limits.timeout = seconds
        options.circles[0].policy = CirclePolicy(limits: limits)
    }

    @Test func connectsAuthenticatesAndPlaysInTheCirclesContext() async throws {
        let rig = try NodeRig { $0.authRequired = true }
        let key = PrivateKey()
        let client = try Self.client(rig.url, key: key)
        try await client.connect()
        #expect(try await client.authenticate() == .secp256k1(key.publicKey))
        let result = try await client.play(#"print("caller " + CALLER_PUBLIC_KEY); print(`circle ${CIRCLE_PUBLIC_KEY}`); 6 * 7"#)
        #expect(result == PlayResult(output: "42", logs: ["caller \(key.publicKey.hex)", "circle \(rig.circle)"]))
        #expect(try await client.whoami() == WhoAmI(circle: rig.circle, pubkey: key.publicKey.hex, authenticated: true))
        let nonce = try await client.fetchNonce()
        #expect(nonce.value.count >= 32)
        let discovered = try await client.call("rpc.discover")
        #expect(discovered["openrpc"] != nil)
        await client.close()
        try await Wait.until(timeout: 60, "the session ended") { rig.node.sessionCount == 0 }
        try await rig.stop()
    }

    @Test func theEthereumSigningFormAuthenticatesToo() async throws {
        let rig = try NodeRig { $0.authRequired = true }
        let key = PrivateKey()
        let client = try Self.client(rig.url, key: key) { $0.signing(.ethereum) }
        try await client.connect()
        try await client.authenticate()
        #expect(try await client.play("CALLER_PUBLIC_KEY").output == key.publicKey.hex)
        await client.close()
        try await rig.stop()
    }

    @Test func aFailingScriptIsATypedExecutionErrorWithLineAndColumn() async throws {
        let rig = try NodeRig()
        let client = try Self.client(rig.url)
        try await client.connect()
        await #expect { try await client.play("let x = 1;\nx + undefined_thing") } throws: { error in
            guard case CircleClientError.execution(let failure) = error else { return false }
            return failure.kind == .runtime && failure.line == 2 && failure.column != nil && failure.message.contains("undefined_thing")
        }
        await #expect { try await client.play("let x = ;") } throws: { error in
            guard case CircleClientError.execution(let failure) = error else { return false }
            return failure.kind == .parse && failure.line == 1 && failure.column == 9
        }
        await #expect { try await client.play(#"throw "no""#) } throws: { error in
            guard case CircleClientError.execution(let failure) = error else { return false }
            return failure.kind == .runtime && failure.message.contains("no")
        }
        #expect(try await client.play("1 + 1").output == "2")
        await client.close()
        try await rig.stop()
    }

    @Test func playingUnauthenticatedOnANodeThatRequiresAuthentication() async throws {
        let rig = try NodeRig { $0.authRequired = true }
        let client = try Self.client(rig.url, key: nil)
        try await client.connect()
        await #expect(throws: CircleClientError.authenticationRequired) { try await client.play("1") }
        #expect(try await client.whoami().authenticated == false)
        await client.close()
        try await rig.stop()
    }

    @Test func aSignatureByAnotherKeyIsRefusedAndTheNodeClosesWith1008() async throws {
        let rig = try NodeRig { $0.authRequired = true }
        let claimed = PrivateKey()
        let client = try Self.client(rig.url, key: nil) { $0.reconnect(ReconnectPolicy(initialDelay: 0.01)) }
        try await client.connect()
        let nonce = try await client.fetchNonce(for: .secp256k1(claimed.publicKey))
        let forged = Hex.encode(PrivateKey().signCompact(Array(nonce.value.utf8)))
        await #expect { try await client.call("authenticate", params: ["pubkey": .string(claimed.publicKey.hex), "signature": .string(forged)]) }
            throws: { error in
                guard case CircleClientError.invalidCredentials(let detail) = error else { return false }
                return detail.contains("invalid signature")
            }
        try await Wait.until(timeout: 60, "the node closed the connection") { !client.isConnected }
        await #expect(throws: CircleClientError.connectionClosed(code: 1008, reason: "invalid credentials")) { try await client.play("1") }
        #expect(client.connectionCount == 1)
        try await rig.stop()
    }

    @Test func aCallerOutsideTheAllowListIsDenied() async throws {
        let allowed = PrivateKey()
        let rig = try NodeRig { $0.authRequired = true; $0.circles[0].policy = CirclePolicy(allowedCallers: [allowed.publicKey.hex]) }
        let stranger = try Self.client(rig.url)
        try await stranger.connect()
        try await stranger.authenticate()
        await #expect { try await stranger.play("1") } throws: { error in
            guard case CircleClientError.execution(let failure) = error else { return false }
            return failure.kind == .denied
        }
        let friend = try Self.client(rig.url, key: allowed)
        try await friend.connect()
        try await friend.authenticate()
        #expect(try await friend.play("1").output == "1")
        await stranger.close()
        await friend.close()
        try await rig.stop()
    }

    @Test func fiftyConcurrentPlaysOnOneConnectionAreAnsweredById() async throws {
        let rig = try NodeRig { $0.maxInFlightPerSession = 64 }
        let client = try Self.client(rig.url)
        try await client.connect()
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<50 {
                group.addTask { (index, try await client.play("let s = 0; for i in 0..\(index * 100) { s += i } s").output) }
            }
            var answered = 0
            for try await (index, output) in group {
                #expect(output == String((0..<(index * 100)).reduce(0, +)))
                answered += 1
            }
            #expect(answered == 50)
        }
        #expect(rig.node.sessionCount == 1)
        await client.close()
        try await rig.stop()
    }

    @Test func playsOverTheSessionLimitAreTooManyRequests() async throws {
        let rig = try NodeRig {
            $0.maxInFlightPerSession = 1
            Self.slowCircle(&$0, seconds: Self.playWindow)
        }
        let client = try Self.client(rig.url)
        try await client.connect()
        let busy = Task { try await client.play("loop {}") }
        try await Wait.until(timeout: 60, "the first play to be running") { rig.node.runtime.embedded?.activeCount == 1 }
        await #expect(throws: CircleClientError.tooManyRequests("limit is 1 per session")) { try await client.play("1") }
        await #expect { try await busy.value } throws: { error in
            guard case CircleClientError.execution(let failure) = error else { return false }
            return failure.kind == .timeout
        }
        #expect(try await client.play("2").output == "2")
        await client.close()
        try await rig.stop()
    }

    @Test func aPlayWithoutAnswerInTimeIsATimeoutAndTheConnectionStaysUsable() async throws {
        let rig = try NodeRig { Self.slowCircle(&$0, seconds: 1) }
        let client = try Self.client(rig.url)
        try await client.connect()
        await #expect(throws: CircleClientError.timeout(method: "play", seconds: 0.2)) { try await client.play("loop {}", timeout: 0.2) }
        #expect(client.isConnected)
        #expect(try await client.play("3").output == "3")
        await client.close()
        try await rig.stop()
    }

    @Test func reconnectsToARestartedNodeAndAuthenticatesAgain() async throws {
        let first = try NodeRig { $0.authRequired = true }
        let (port, circle) = (first.port, first.circle)
        let key = PrivateKey()
        let client = try Self.client(first.url, key: key) { $0.reconnect(ReconnectPolicy(initialDelay: 0.01, maxDelay: 0.1)) }
        try await client.connect()
        try await client.authenticate()
        #expect(try await client.play("1").output == "1")
        try await first.stop()
        try await Wait.until(timeout: 60, "the client saw the drop") { !client.isConnected }
        let waiting = Task { try await client.play("CALLER_PUBLIC_KEY") }
        // The same port again: another socket (a client's ephemeral port) may hold it for a moment.
        var restarted: NodeRig?
        try await Wait.until(timeout: 30, "port \(port) to take the restarted node") {
            restarted = try? NodeRig {
                $0.port = port
                $0.authRequired = true
                $0.circles = [NodeOptions.Circle(publicKey: circle)]
            }
            return restarted != nil
        }
        let second = try #require(restarted)
        #expect(try await waiting.value.output == key.publicKey.hex)
        #expect(client.connectionCount == 2)
        #expect(client.authenticatedKey == .secp256k1(key.publicKey))
        #expect(try await client.whoami().authenticated)
        await client.close()
        try await second.stop()
    }

    @Test func aGracefulStopAnswersThePlayInFlightThenClosesWith1001() async throws {
        // The script runs until the test lets it end, which it does only once the stop has closed the
        // listener: the client gets the script's own result, not a timeout, after the stop began.
        let key = PrivateKey().publicKey.hex
        let rig = try NodeRig(patient: key) { $0.shutdownDeadline = 120 }
        let held = try rig.held(in: key)
        let client = try Self.client("ws://127.0.0.1:\(rig.port)/\(key)")
        try await client.connect()
        let inFlight = Task { try await client.play(HeldScript.source) }
        try await Wait.until(timeout: 60, "the play to be running") { held.hasStarted }
        rig.node.stop()
        try await Wait.until(timeout: 60, "the listener to close") { rig.node.runtime.server.current == nil }
        #expect(client.isConnected, "the session stays while its play runs")
        #expect(held.release())
        #expect(try await inFlight.value.output == HeldScript.output)
        try await Wait.until(timeout: 60, "the node closed the connection") { !client.isConnected }
        await #expect { try await client.play("1") } throws: { error in
            guard case CircleClientError.connectionClosed(let code, _) = error else { return false }
            return code == 1001
        }
        try await rig.running.value
    }

    @Test func closingTheClientEndsItsPlaysInFlight() async throws {
        let rig = try NodeRig { Self.slowCircle(&$0, seconds: Self.playWindow) }
        let client = try Self.client(rig.url)
        try await client.connect()
        let inFlight = Task { try await client.play("loop {}") }
        try await Wait.until(timeout: 60, "the play to be running") { rig.node.runtime.embedded?.activeCount == 1 }
        await client.close()
        await #expect(throws: CircleClientError.closed) { try await inFlight.value }
        await #expect(throws: CircleClientError.closed) { try await client.play("1") }
        try await Wait.until(timeout: 60, "the session ended") { rig.node.sessionCount == 0 }
        try await rig.stop()
    }
}
