import CirclesCore
import Synchronization
import Transport

/// A JSON-RPC peer that sends plays without waiting and counts every reply per request id, so a test
/// can tell an answer given twice from one given once.
final class ClusterPlayer: Sendable {
    private struct State {
        var next: Int64 = 0
        var sent: [Int64: String] = [:]
        var replies: [Int64: [JSON]] = [:]
        var closed = false
    }

    private final class Box: Sendable {
        let state = Mutex(State())
    }

    let url: String
    private let connection: WebSocketConnection
    private let box: Box

    private init(url: String, connection: WebSocketConnection, box: Box) {
        self.url = url
        self.connection = connection
        self.box = box
    }

    static func connect(_ url: String) async throws -> ClusterPlayer {
        let box = Box()
        let connection = try await WebSocketClient.connect(to: url, timeout: 30) { event in
            switch event {
            case .text(let text):
                guard let json = try? JSONParser.parse(text), let id = json["id"]?.intValue else { return }
                box.state.withLock { $0.replies[id, default: []].append(json) }
            case .closed:
                box.state.withLock { $0.closed = true }
            default:
                break
            }
        }
        return ClusterPlayer(url: url, connection: connection, box: box)
    }

    /// Sends `play(script)`; returns its id.
    @discardableResult
    func play(_ script: String) -> Int64 {
        let id = box.state.withLock { state -> Int64 in
            state.next += 1
            state.sent[state.next] = script
            return state.next
        }
        connection.send(text: RPCRequest(method: "play", params: ["script": .string(script)], id: .int(id)).json.serialized)
        return id
    }

    var isClosed: Bool { box.state.withLock { $0.closed } }

    /// Ids sent that have at least one reply.
    var answered: Int { box.state.withLock { $0.replies.count } }

    var sent: Int { box.state.withLock { $0.sent.count } }

    /// Every reply by id.
    var replies: [Int64: [JSON]] { box.state.withLock { $0.replies } }

    func close() { connection.close() }
}
