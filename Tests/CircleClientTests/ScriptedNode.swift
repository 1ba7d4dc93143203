import CirclesCore
import Synchronization
import Transport

/// One request a `ScriptedNode` received, with the means to answer it now or later.
struct Exchange: Sendable {
    /// Which connection of the node (1, 2, ... in the order they opened).
    let connection: Int
    let method: String
    let params: JSON
    let id: RPCId?
    let socket: WebSocketConnection

    func reply(_ result: JSON) { socket.send(text: RPCResponse(id: id ?? .null, result: result).json.serialized) }
    func fail(_ error: RPCError) { socket.send(text: RPCResponse(id: id ?? .null, error: error).json.serialized) }
    /// Ends the TCP connection without a close frame.
    func hangUp() { socket.tcp.loop.execute { [socket] in socket.tcp.closeNow() } }
}

/// A WebSocket server that speaks the node's JSON-RPC for client tests: `fetch_nonce`, `authenticate`
/// (real signature checks of SPEC 3.1's bound form, 1008 on failure) and `whoami` as a node does; `play` and other methods as
/// the test says (by default `play` echoes its script). It injects what a real node does not do on
/// demand: silence, replies out of order, closes from the server side.
final class ScriptedNode: Sendable {
    typealias Responder = @Sendable (Exchange) -> Void

    let circle: String
    let authRequired: Bool
    private let server: HTTPServer
    private let responder = Mutex<Responder>({ $0.reply(["output": $0.params["script"] ?? "", "logs": []]) })
    private let sockets = Mutex<[Int: WebSocketConnection]>([:])
    private let hosts = Mutex<[Int: String]>([:])
    private let nonceMaker = Mutex<@Sendable (Int) -> String>({ _ in RandomHex.make(words: 4) })
    private let nonces = Mutex<[Int: (pubkey: String, nonce: String)]>([:])
    private let authentications = Mutex<[(connection: Int, pubkey: String)]>([])
    private let opened = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)

    init(authRequired: Bool = true, port: Int = 0, circle: String = PrivateKey().publicKey.hex) throws {
        self.authRequired = authRequired
        self.circle = circle
        var router = HTTPRouter()
        let box = Box()
        router.webSocket("/{circle}") { request, socket in
            guard let node = box.node, !node.stopped.load(ordering: .acquiring) else { return .refuse(.text(503, "stopped")) }
            guard request.path == "/\(node.circle)" else { return .refuse(.text(404, "unknown circle")) }
            let connection = node.opened.add(1, ordering: .relaxed).newValue
            node.sockets.withLock { $0[connection] = socket }
            node.hosts.withLock { $0[connection] = request.header("Host") ?? "" }
            return .accept { [weak node] event in
                switch event {
                case .text(let text): node?.received(text, connection: connection, socket: socket)
                case .binary: break
                case .closed: _ = node?.sockets.withLock { $0.removeValue(forKey: connection) }
                }
            }
        }
        server = try HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port), router: router)
        box.node = self
    }

    var port: Int { server.port }
    var url: String { "ws://127.0.0.1:\(port)/\(circle)" }
    /// Connections accepted so far.
    var connectionsOpened: Int { opened.load(ordering: .relaxed) }
    var openConnections: Int { sockets.withLock { $0.count } }
    /// Successful authentications: on which connection, as whom.
    var authenticated: [(connection: Int, pubkey: String)] { authentications.withLock { $0 } }

    /// Issues `make(connection)` as the nonce from now on.
    func issueNonces(_ make: @escaping @Sendable (Int) -> String) { nonceMaker.withLock { $0 = make } }

    /// Answers `play` (and unknown methods) with `responder` from now on.
    func respond(_ responder: @escaping Responder) { self.responder.withLock { $0 = responder } }

    /// Closes every open connection from the server side with a close frame.
    func closeAll(code: UInt16 = WebSocketCloseCode.goingAway, reason: String = "restarting") {
        for socket in sockets.withLock({ Array($0.values) }) { socket.close(code: code, reason: reason) }
    }

    /// Stops accepting (upgrades that race with the listener's close are refused with 503) and drops
    /// every connection without a close frame.
    func stop() {
        stopped.store(true, ordering: .releasing)
        server.stopAccepting()
        for socket in sockets.withLock({ Array($0.values) }) { socket.tcp.loop.execute { socket.tcp.closeNow() } }
    }

    private func received(_ text: String, connection: Int, socket: WebSocketConnection) {
        guard case .single(.request(let request)) = RPCMessage.parse(text) else { return }
        let exchange = Exchange(connection: connection, method: request.method, params: request.params ?? [:], id: request.id, socket: socket)
        switch request.method {
        case "fetch_nonce":
            let nonce = nonceMaker.withLock { $0 }(connection)
            let pubkey = (try? CallerKey(hex: exchange.params["pubkey"]?.stringValue ?? ""))?.hex ?? ""
            nonces.withLock { $0[connection] = (pubkey, nonce) }
            exchange.reply(["nonce": .string(nonce), "expires_at": 4_000_000_000])
        case "authenticate":
            guard let issued = nonces.withLock({ $0.removeValue(forKey: connection) }),
                let pubkey = try? CallerKey(hex: exchange.params["pubkey"]?.stringValue ?? ""), pubkey.hex == issued.pubkey
            else { return exchange.fail(.nonceExpired) }
            let host = hosts.withLock { $0[connection] ?? "" }
            do {
                try pubkey.verify(signatureHex: exchange.params["signature"]?.stringValue ?? "",
                                  message: SignatureDomain.authentication(host: host, circle: circle, nonce: issued.nonce))
                authentications.withLock { $0.append((connection, pubkey.hex)) }
                exchange.reply(["authenticated": true])
            } catch {
                exchange.fail(.invalidCredentials(error.description))
                socket.close(code: WebSocketCloseCode.policyViolation, reason: "invalid credentials")
            }
        case "whoami":
            let pubkey = authentications.withLock { $0.last { $0.connection == connection }?.pubkey }
            exchange.reply(["circle": .string(circle), "pubkey": pubkey.map(JSON.string) ?? .null, "authenticated": .bool(pubkey != nil)])
        case "play" where authRequired && !authentications.withLock({ $0.contains { $0.connection == connection } }):
            exchange.fail(.authenticationRequired)
        default:
            responder.withLock { $0 }(exchange)
        }
    }

    private final class Box: @unchecked Sendable {
        weak var node: ScriptedNode?
    }
}
