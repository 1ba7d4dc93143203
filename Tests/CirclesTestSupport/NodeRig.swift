import Codecs
import CirclesCore
import Foundation
import Logging
import TestSupport
import CirclesNode
import Transport

/// A real node on 127.0.0.1 with an ephemeral port, running until `stop()`.
package final class NodeRig: Sendable {
    package let circleKey = PrivateKey()
    package let node: CircleNode
    package let running: Task<Void, any Error>

    package var circle: String { circleKey.publicKey.hex }
    package var port: Int { node.port }
    package var url: String { "ws://127.0.0.1:\(node.port)/\(circle)" }

    package init(logger: Logger? = nil, _ configure: (inout NodeOptions) throws -> Void = { _ in }) throws {
        var options = NodeOptions()
        options.port = 0
        // Open unless the test says otherwise: no authentication, every caller may use the data.
        options.authRequired = false
        options.circles = [NodeOptions.Circle(publicKey: circleKey.publicKey.hex, name: "test", policy: .open)]
        options.dataDirectory = try TemporaryDirectory.make(prefix: "circles-node")
        options.shutdownDeadline = 10
        try configure(&options)
        let node = try logger.map { try CircleNode(options: options, logger: $0) } ?? CircleNode(options: options)
        self.node = node
        running = Task { try await node.run() }
    }

    /// A node whose plays go through the Redis at `url`, signed with the tests' task secret, with its own
    /// workers unless `workers` is false.
    package convenience init(redis url: String, workers: Bool = true, _ configure: (inout NodeOptions) throws -> Void = { _ in }) throws {
        try self.init {
            $0.redisURL = url
            $0.taskSecret = TestTaskSecret.secret
            $0.runWorkers = workers
            try configure(&$0)
        }
    }

    /// A node of the one circle `key` under the patient policy (`HeldScript`'s plays run until released).
    package convenience init(patient key: String, _ configure: (inout NodeOptions) throws -> Void = { _ in }) throws {
        try self.init {
            $0.circles = [NodeOptions.Circle(publicKey: key, policy: .patient)]
            try configure(&$0)
        }
    }

    /// A `HeldScript` in the node's namespace of `circle`.
    package func held(in circle: String) throws -> HeldScript {
        try HeldScript(dataDirectory: node.options.dataDirectory, circle: circle)
    }

    /// Stops gracefully and waits for `run` to return.
    package func stop() async throws {
        node.stop()
        try await running.value
    }

    package func connect(path: String? = nil) async throws -> RPCPeer {
        let (connection, events) = try await WebSocketClient.connect(to: "ws://127.0.0.1:\(port)/\(path ?? circle)")
        return RPCPeer(connection: connection, events: events)
    }

    /// `GET path`, with the node's own Host unless `headers` names another.
    package func get(_ path: String, headers: [String: String] = [:]) async throws -> (status: Int, body: String) {
        try await request("GET \(path) HTTP/1.1\r\n\(head(headers, defaults: [:]))Connection: close\r\n\r\n")
    }

    /// `POST path` with a JSON body type and the node's own Host, unless `headers` says otherwise.
    package func post(_ path: String, headers: [String: String], body: String) async throws -> (status: Int, body: String) {
        let head = head(headers, defaults: ["Content-Type": "application/json"])
        return try await request("POST \(path) HTTP/1.1\r\n\(head)Connection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
    }

    private func head(_ headers: [String: String], defaults: [String: String]) -> String {
        var all = defaults.merging(["Host": "127.0.0.1:\(port)"]) { $1 }
        all.merge(headers) { $1 }
        return all.filter { !$0.value.isEmpty }.map { "\($0.key): \($0.value)\r\n" }.joined()
    }

    package func request(_ raw: String) async throws -> (status: Int, body: String) {
        let socket = try BlockingSocket(port: port)
        socket.send(raw)
        let text = String(decoding: await socket.readToEnd(), as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let status = Int(parts[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
}

/// A JSON-RPC peer over our WebSocket client.
package final class RPCPeer: @unchecked Sendable {
    package let connection: WebSocketConnection
    private var iterator: AsyncStream<WebSocketEvent>.AsyncIterator
    private var nextId: Int64 = 0

    package init(connection: WebSocketConnection, events: AsyncStream<WebSocketEvent>) {
        self.connection = connection
        iterator = events.makeAsyncIterator()
    }

    /// Sends a request and returns its id.
    @discardableResult
    package func send(_ method: String, _ params: JSON? = nil) -> Int64 {
        nextId += 1
        connection.send(text: RPCRequest(method: method, params: params, id: .int(nextId)).json.serialized)
        return nextId
    }

    /// The next event: a parsed text frame, or the close; fails after `timeout` seconds.
    package func next(timeout: Double = 60) async throws -> JSON {
        let event = try await withThrowingTaskGroup(of: WebSocketEvent?.self) { group in
            group.addTask { await self.nextEvent() }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))  // ok: a deadline raced against the event, not a wait
                throw Closed(code: 0, reason: "no message within \(timeout) s")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
        switch event {
        case .text(let text): return try JSONParser.parse(text)
        case .closed(let code, let reason): throw Closed(code: code, reason: reason)
        case .binary, nil: throw Closed(code: 0, reason: "no more events")
        }
    }

    private func nextEvent() async -> WebSocketEvent? { await iterator.next() }

    package func call(_ method: String, _ params: JSON? = nil) async throws -> JSON {
        let id = send(method, params)
        let reply = try await next()
        guard reply["id"]?.intValue == id else { throw Closed(code: 0, reason: "reply for another id: \(reply)") }
        return reply
    }

    /// The close code that ends the event stream (skipping frames before it); nil when the stream ends
    /// without one or nothing closes within `timeout` seconds.
    package func closeCode(timeout: Double = 60) async -> UInt16? {
        await withTaskGroup(of: UInt16?.self) { group in
            group.addTask {
                while let event = await self.nextEvent() {
                    if case .closed(let code, _) = event { return code }
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))  // ok: a deadline raced against the close, not a wait
                return nil
            }
            defer { group.cancelAll() }
            return await group.next() ?? nil
        }
    }

    package func authenticate(with key: PrivateKey) async throws -> JSON {
        let nonce = try await call("fetch_nonce", ["pubkey": .string(key.publicKey.hex)])
        let text = nonce["result"]?["nonce"]?.stringValue ?? ""
        let signature = Hex.encode(key.signCompact(Array(text.utf8)))
        return try await call("authenticate", ["pubkey": .string(key.publicKey.hex), "signature": .string(signature)])
    }

    package struct Closed: Error, CustomStringConvertible {
        package var code: UInt16
        package var reason: String
        package var description: String { "closed \(code) \(reason)" }
    }
}
