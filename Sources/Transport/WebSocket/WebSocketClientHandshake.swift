/// The client side of the opening handshake on a fresh connection: reads the server's response head,
/// checks it (status 101, Upgrade, Connection, Sec-WebSocket-Accept) and hands the connection to a
/// client `WebSocketConnection`, with any bytes that followed the head.
final class WebSocketClientHandshake: ConnectionHandler {
    typealias Completion = (Result<WebSocketConnection, WebSocketClientError>) -> Void

    private let key: String
    private let configuration: WebSocketConfiguration
    private let onEvent: WebSocketConnection.EventHandler
    private var completion: Completion?
    private var buffer: [UInt8] = []
    private var timer: UInt64?

    init(key: String, configuration: WebSocketConfiguration, timeout: Double, loop: EventLoop, connection: TCPConnection,
         onEvent: @escaping WebSocketConnection.EventHandler, completion: @escaping Completion) {
        self.key = key
        self.configuration = configuration
        self.onEvent = onEvent
        self.completion = completion
        timer = loop.schedule(after: timeout) { [weak self] in
            self?.finish(.failure(.timedOut), connection)
        }
    }

    func received(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection) {
        guard completion != nil else { return }
        buffer.append(contentsOf: bytes)
        guard let end = HTTPParser.find(buffer, [13, 10, 13, 10]) else {
            if buffer.count > 16 * 1024 { finish(.failure(.handshakeInvalid("response head over 16 KiB")), connection) }
            return
        }
        let head = String(decoding: buffer[..<end], as: UTF8.self)
        let leftover = Array(buffer[(end + 4)...])
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
            return finish(.failure(.handshakeInvalid("bad status line")), connection)
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), String(Substring(line[line.index(after: colon)...]).trimmingCharacters(in: " \t"))))
        }
        let response = HTTPRequest(method: "", path: "", query: nil, version: "", headers: headers, body: [])
        guard status == 101 else {
            return finish(.failure(.handshakeRefused(status: status, body: String(decoding: leftover.prefix(512), as: UTF8.self))), connection)
        }
        guard response.headerContains("Upgrade", token: "websocket") else {
            return finish(.failure(.handshakeInvalid("no Upgrade: websocket")), connection)
        }
        guard response.headerContains("Connection", token: "upgrade") else {
            return finish(.failure(.handshakeInvalid("no Connection: Upgrade")), connection)
        }
        guard response.header("Sec-WebSocket-Accept") == WebSocketHandshake.accept(for: key) else {
            return finish(.failure(.handshakeInvalid("wrong Sec-WebSocket-Accept")), connection)
        }
        if response.header("Sec-WebSocket-Extensions") != nil {
            return finish(.failure(.handshakeInvalid("the server chose an extension that was not offered")), connection)
        }
        let socket = WebSocketConnection(tcp: connection, isClient: true, configuration: configuration)
        socket.begin(onEvent: onEvent)
        connection.switchHandler(to: socket)
        finish(.success(socket), connection)
        if !leftover.isEmpty { leftover.withUnsafeBytes { socket.received($0, on: connection) } }
    }

    func inputEnded(_ connection: TCPConnection) {
        finish(.failure(.handshakeInvalid("the server closed the connection during the handshake")), connection)
    }

    func closed(_ connection: TCPConnection) {
        finish(.failure(.connectFailed("the connection closed during the handshake")), connection)
    }

    private func finish(_ result: Result<WebSocketConnection, WebSocketClientError>, _ connection: TCPConnection) {
        guard let completion else { return }
        self.completion = nil
        if let timer { connection.loop.cancelTimer(timer) }
        timer = nil
        if case .failure = result { connection.closeNow() }
        completion(result)
    }
}
