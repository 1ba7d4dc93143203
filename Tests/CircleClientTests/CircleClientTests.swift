import Codecs
import CircleClient
import CirclesCore
import Synchronization
import TestSupport
import Testing
import Transport

/// The client library against a `ScriptedNode`: ids, concurrency, typed errors, timeouts, closes,
/// reconnects and re-authentication, each made to happen on purpose.
@Suite struct CircleClientTests {
    static func client(_ node: ScriptedNode, key: PrivateKey? = PrivateKey(), _ configure: (CircleClient.Builder) -> CircleClient.Builder = { $0 })
        throws -> CircleClient {
        var builder = CircleClient.Builder(url: node.url).timeout(10)
        if let key { builder = builder.keyPair(key) }
        return try configure(builder).build()
    }

    @Test func builderChecksItsInput() throws {
        #expect(throws: CircleClientError.invalidURL("http://x/y")) { try CircleClient.Builder(url: "http://x/y").build() }
        #expect(throws: CircleClientError.invalidConfiguration("timeouts must be positive numbers of seconds")) {
            try CircleClient.Builder(url: "ws://127.0.0.1:1/x").timeout(0).build()
        }
        let client = try CircleClient.Builder(url: "ws://127.0.0.1:1/x").reconnect(ReconnectPolicy(maxAttempts: 3)).signing(.ethereum).build()
        #expect(client.configuration.reconnect?.maxAttempts == 3)
        #expect(client.configuration.signingScheme == .ethereum)
        #expect(!client.isConnected)
    }

    @Test func callsNeedAConnectionAndAuthenticationNeedsAKey() async throws {
        let node = try ScriptedNode()
        defer { node.stop() }
        let client = try Self.client(node, key: nil)
        await #expect(throws: CircleClientError.notConnected) { try await client.play("1") }
        await #expect(throws: CircleClientError.missingKey) { try await client.authenticate() }
        try await client.connect()
        await #expect(throws: CircleClientError.missingKey) { try await client.authenticate() }
        await #expect(throws: CircleClientError.missingKey) { try await client.fetchNonce() }
        await client.close()
    }

    @Test func connectFailuresAreTyped() async throws {
        let node = try ScriptedNode()
        defer { node.stop() }
        let unknown = try CircleClient.Builder(url: "ws://127.0.0.1:\(node.port)/\(PrivateKey().publicKey.hex)").build()
        await #expect { try await unknown.connect() } throws: { error in
            guard case CircleClientError.connectFailed(let detail) = error else { return false }
            return detail.contains("HTTP 404")
        }
        let closedPort = try FreePort.next()
        let refused = try CircleClient.Builder(url: "ws://127.0.0.1:\(closedPort)/x").build()
        await #expect { try await refused.connect() } throws: { error in
            guard case CircleClientError.connectFailed(let detail) = error else { return false }
            return detail.contains("refused")
        }
        #expect(!refused.isConnected)
    }

    @Test func authenticatesAndPlays() async throws {
        let node = try ScriptedNode()
        defer { node.stop() }
        let key = PrivateKey()
        let client = try Self.client(node, key: key)
        try await client.connect()
        try await client.connect()
        #expect(client.isConnected)
        await #expect(throws: CircleClientError.authenticationRequired) { try await client.play("1") }
        #expect(try await client.whoami() == WhoAmI(circle: node.circle, pubkey: nil, authenticated: false))
        #expect(try await client.authenticate() == .secp256k1(key.publicKey))
        #expect(client.authenticatedKey == .secp256k1(key.publicKey))
        #expect(try await client.whoami() == WhoAmI(circle: node.circle, pubkey: key.publicKey.hex, authenticated: true))
        #expect(try await client.play("40 + 2") == PlayResult(output: "40 + 2"))
        let nonce = try await client.fetchNonce()
        #expect(SignatureDomain.isNonce(nonce.value))
        #expect(nonce.expiresAt == 4_000_000_000)
        #expect(node.authenticated.map(\.pubkey) == [key.publicKey.hex])
        await client.close()
        #expect(!client.isConnected)
        try await Wait.until(timeout: 10, "the node saw the close") { node.openConnections == 0 }
    }

    @Test func signsInTheEthereumFormWhenAsked() async throws {
        let node = try ScriptedNode()
        defer { node.stop() }
        let key = PrivateKey()
        let client = try Self.client(node, key: key) { $0.signing(.ethereum) }
        try await client.connect()
        try await client.authenticate()
        #expect(node.authenticated.map(\.pubkey) == [key.publicKey.hex])
        await client.close()
    }

    @Test func concurrentCallsOnOneConnectionAreMatchedById() async throws {
        let node = try ScriptedNode(authRequired: false)
        defer { node.stop() }
        let held = Mutex<[Exchange]>([])
        node.respond { exchange in
            // Hold all 50, then answer in reverse order.
            let all = held.withLock { held -> [Exchange] in
                held.append(exchange)
                return held.count == 50 ? held : []
            }
            for exchange in all.reversed() { exchange.reply(["output": .string("out \(exchange.params["script"]?.stringValue ?? "")")]) }
        }
        let client = try Self.client(node)
        try await client.connect()
        try await withThrowingTaskGroup(of: (Int, PlayResult).self) { group in
            for index in 0..<50 { group.addTask { (index, try await client.play("\(index)")) } }
            var seen = 0
            for try await (index, result) in group {
                #expect(result.output == "out \(index)")
                seen += 1
            }
            #expect(seen == 50)
        }
        #expect(node.connectionsOpened == 1)
        await client.close()
    }

    @Test func everyErrorCodeHasItsCase() async throws {
        let node = try ScriptedNode(authRequired: false)
        defer { node.stop() }
        node.respond { exchange in
            switch exchange.params["script"]?.stringValue ?? "" {
            case "parse": exchange.fail(.executionError(["kind": "parse", "message": "expected ';'", "line": 3, "column": 7]))
            case "runtime": exchange.fail(.executionError(["kind": "runtime", "message": "boom", "line": 1, "column": 2]))
            case "limit": exchange.fail(.executionError(["kind": "limit", "message": "too many operations", "line": nil, "column": nil]))
            case "busy": exchange.fail(.tooManyRequests(16))
            case "internal": exchange.fail(.internalError("queue down"))
            case "params": exchange.fail(.invalidParams("script (string) is required"))
            case "custom": exchange.fail(RPCError(code: -32050, message: "Custom", data: "detail"))
            case "garbage": exchange.reply(["no output": true])
            default: exchange.fail(.methodNotFound(exchange.method))
            }
        }
        let client = try Self.client(node)
        try await client.connect()
        func failure(_ script: String) async -> CircleClientError? {
            do {
                _ = try await client.play(script)
                return nil
            } catch {
                return error
            }
        }
        #expect(await failure("parse") == .execution(ScriptFailure(kind: .parse, message: "expected ';'", line: 3, column: 7)))
        #expect(await failure("runtime") == .execution(ScriptFailure(kind: .runtime, message: "boom", line: 1, column: 2)))
        #expect(await failure("limit") == .execution(ScriptFailure(kind: .limit, message: "too many operations")))
        #expect(await failure("busy") == .tooManyRequests("limit is 16 per session"))
        #expect(await failure("internal") == .internalError("queue down"))
        #expect(await failure("params") == .invalidParams("script (string) is required"))
        #expect(await failure("custom") == .rpc(code: -32050, message: "Custom", data: "detail"))
        #expect(await failure("custom")?.rpcCode == -32050)
        #expect(await failure("parse")?.rpcCode == RPCError.executionErrorCode)
        await #expect { try await client.play("garbage") } throws: { error in
            guard case CircleClientError.invalidResponse = error else { return false }
            return true
        }
        await #expect(throws: CircleClientError.methodNotFound("nope")) { try await client.call("nope") }
        #expect(CircleClientError.execution(ScriptFailure(kind: .parse, message: "expected ';'", line: 3, column: 7)).description
            == "execution error: parse error at line 3, column 7: expected ';'")
        // A kind this build does not know (a newer node's) is kept as it came; the JSON round-trips.
        let newer = try #require(ScriptFailure(json: ["kind": "quota", "message": "over quota", "line": .null, "column": .null]))
        #expect(newer.kind.rawValue == "quota" && newer.kind != .limit)
        #expect(ScriptFailure(json: newer.json) == newer)
        #expect(ScriptFailure(json: ["message": "no kind"]) == nil)
        await client.close()
    }

    @Test func aCallWithoutAnswerTimesOutAndTheConnectionStaysUsable() async throws {
        let node = try ScriptedNode(authRequired: false)
        defer { node.stop() }
        let late = Mutex<Exchange?>(nil)
        node.respond { exchange in
            if exchange.params["script"] == "silent" {
                late.withLock { $0 = exchange }
            } else {
                exchange.reply(["output": "fine"])
            }
        }
        let client = try Self.client(node)
        try await client.connect()
        await #expect(throws: CircleClientError.timeout(method: "play", seconds: 0.2)) { try await client.play("silent", timeout: 0.2) }
        late.withLock { $0 }?.reply(["output": "too late"])
        #expect(try await client.play("next").output == "fine")
        #expect(client.isConnected)
        await client.close()
    }

    @Test func cancellingTheWaitingTaskEndsTheCall() async throws {
        let node = try ScriptedNode(authRequired: false)
        defer { node.stop() }
        let arrived = Atomic<Bool>(false)
        node.respond { _ in arrived.store(true, ordering: .relaxed) }
        let client = try Self.client(node)
        try await client.connect()
        let task = Task { try await client.play("never answered") }
        try await Wait.until(timeout: 10, "the play reached the node") { arrived.load(ordering: .relaxed) }
        task.cancel()
        await #expect(throws: CircleClientError.cancelled) { try await task.value }
        await client.close()
    }

    @Test func aServerCloseFailsTheCallsInFlightWithItsCode() async throws {
        let node = try ScriptedNode(authRequired: false)
        defer { node.stop() }
        node.respond { exchange in exchange.socket.close(code: 4000, reason: "bye") }
        let client = try Self.client(node)
        try await client.connect()
        await #expect(throws: CircleClientError.connectionClosed(code: 4000, reason: "bye")) { try await client.play("1") }
        #expect(!client.isConnected)
        await #expect(throws: CircleClientError.connectionClosed(code: 4000, reason: "bye")) { try await client.play("2") }
        node.respond { $0.reply(["output": "again"]) }
        try await client.connect()
        #expect(try await client.play("3").output == "again")
        await client.close()
    }

    @Test func aDroppedConnectionFailsItsCallsWith1006() async throws {
        let node = try ScriptedNode(authRequired: false)
        defer { node.stop() }
        node.respond { $0.hangUp() }
        let client = try Self.client(node)
        try await client.connect()
        await #expect { try await client.play("1") } throws: { error in
            guard case CircleClientError.connectionClosed(let code, _) = error else { return false }
            return code == 1006
        }
    }

    @Test func closeEndsWaitingCallsAndTheClientCanConnectAgain() async throws {
        let node = try ScriptedNode(authRequired: false)
        defer { node.stop() }
        let arrived = Atomic<Bool>(false)
        node.respond { exchange in
            if exchange.params["script"] == "hold" { arrived.store(true, ordering: .relaxed) } else { exchange.reply(["output": "ok"]) }
        }
        let client = try Self.client(node)
        try await client.connect()
        let held = Task { try await client.play("hold") }
        try await Wait.until(timeout: 10, "the play reached the node") { arrived.load(ordering: .relaxed) }
        await client.close()
        await #expect(throws: CircleClientError.closed) { try await held.value }
        await #expect(throws: CircleClientError.closed) { try await client.play("after") }
        try await Wait.until(timeout: 10, "the node saw the close") { node.openConnections == 0 }
        try await client.connect()
        #expect(try await client.play("again").output == "ok")
        #expect(client.connectionCount == 2)
        await client.close()
    }

    @Test func reconnectsAndAuthenticatesAgainAfterTheServerClosed() async throws {
        let node = try ScriptedNode()
        defer { node.stop() }
        let key = PrivateKey()
        let client = try Self.client(node, key: key) { $0.reconnect(ReconnectPolicy(initialDelay: 0.01, maxDelay: 0.05)) }
        try await client.connect()
        try await client.authenticate()
        #expect(try await client.play("before").output == "before")
        node.closeAll(code: WebSocketCloseCode.goingAway, reason: "restarting")
        try await Wait.until(timeout: 10, "the client reconnected") { client.connectionCount == 2 && client.isConnected }
        #expect(try await client.play("after").output == "after")
        #expect(node.authenticated.map(\.connection) == [1, 2])
        #expect(client.authenticatedKey == .secp256k1(key.publicKey))
        await client.close()
    }

    @Test func callsMadeWhileReconnectingWaitForTheNewConnection() async throws {
        let port = try FreePort.next()
        let node = try ScriptedNode(port: port)
        let key = PrivateKey()
        let client = try CircleClient.Builder(url: node.url).keyPair(key).timeout(20)
            .reconnect(ReconnectPolicy(initialDelay: 0.01, maxDelay: 0.05)).build()
        try await client.connect()
        try await client.authenticate()
        node.stop()
        try await Wait.until(timeout: 10, "the client saw the drop") { !client.isConnected }
        let waiting = Task { try await client.play("while down") }
        let circle = node.circle
        try await Wait.until(timeout: 10, "the old listener closed") { !FreePort.isListening(port) }
        let restarted = try ScriptedNode(port: port, circle: circle)
        defer { restarted.stop() }
        #expect(try await waiting.value.output == "while down")
        #expect(restarted.authenticated.map(\.pubkey) == [key.publicKey.hex])
        await client.close()
    }

    @Test func reconnectGivesUpAfterItsAttempts() async throws {
        let node = try ScriptedNode()
        let client = try Self.client(node) { $0.reconnect(ReconnectPolicy(maxAttempts: 3, initialDelay: 0.01, maxDelay: 0.02)) }
        try await client.connect()
        node.stop()
        try await Wait.until(timeout: 10, "the client saw the drop") { !client.isConnected }
        await #expect { try await client.play("x") } throws: { error in
            guard case CircleClientError.connectFailed = error else { return false }
            return true
        }
        #expect(!client.isConnected)
        await #expect { try await client.play("y") } throws: { error in
            guard case CircleClientError.connectFailed = error else { return false }
            return true
        }
    }

    @Test func refusedCredentialsAreTypedAndNotRetried() async throws {
        let node = try ScriptedNode()
        defer { node.stop() }
        let victim = PrivateKey()
        let client = try Self.client(node) { $0.reconnect(ReconnectPolicy(initialDelay: 0.01)) }
        try await client.connect()
        let nonce = try await client.fetchNonce(for: .secp256k1(victim.publicKey))
        let forged = Hex.encode(PrivateKey().signCompact(Array(nonce.value.utf8)))
        await #expect { try await client.call("authenticate", params: ["pubkey": .string(victim.publicKey.hex), "signature": .string(forged)]) } throws: { error in
            guard case CircleClientError.invalidCredentials = error else { return false }
            return true
        }
        try await Wait.until(timeout: 10, "the node closed the connection") { !client.isConnected }
        await #expect(throws: CircleClientError.connectionClosed(code: 1008, reason: "invalid credentials")) { try await client.play("1") }
        // Not retried: over two seconds, two hundred times the reconnect delay, no second connection.
        let since = Wait.now()
        var most = 0
        try await Wait.until(timeout: 30, "the retry window to pass") {
            most = max(most, node.connectionsOpened)
            return Wait.now() > since + 2
        }
        #expect(most == 1)
        #expect(!client.isConnected)
    }

    @Test func reconnectPolicyBacksOffUpToItsMaximum() {
        let policy = ReconnectPolicy(initialDelay: 0.1, maxDelay: 1, multiplier: 2, jitter: 0)
        #expect((1...6).map(policy.delay(after:)) == [0.1, 0.2, 0.4, 0.8, 1, 1])
        let jittered = ReconnectPolicy(initialDelay: 1, maxDelay: 1, jitter: 0.5)
        for _ in 0..<100 { #expect((0.5...1.5).contains(jittered.delay(after: 3))) }
    }
}
