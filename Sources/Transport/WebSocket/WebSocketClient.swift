/// Opens client WebSocket connections (`ws://`, and `wss://` over TLS).
public enum WebSocketClient {
    /// Connects, runs the opening handshake and returns the open connection; its events go to
    /// `onEvent` on the loop thread, in order. A `wss://` URL uses `tls` (by default the system's CA
    /// store, with the host name checked). A `Host` in `headers` replaces the URL's.
    public static func connect(to url: String, headers: [(name: String, value: String)] = [],
                               configuration: WebSocketConfiguration = WebSocketConfiguration(), tls: TLSClientContext? = nil,
                               timeout: Double = 10, group: EventLoopGroup = .shared,
                               onEvent: @escaping WebSocketConnection.EventHandler) async throws(WebSocketClientError) -> WebSocketConnection {
        guard let parsed = WebSocketURL(url) else { throw .invalidURL(url) }
        var context = parsed.secure ? tls : nil
        if parsed.secure, context == nil {
            do {
                context = try TLSClientContext.system
            } catch {
                throw .tlsFailed(error)
            }
        }
        let tcp: TCPConnection
        do {
            tcp = try await TCPConnection.connect(host: parsed.host, port: parsed.port, timeout: timeout, tls: context, group: group)
        } catch {
            if let failure = error.tls { throw .tlsFailed(failure) }
            throw .connectFailed(error.description)
        }
        let key = WebSocketHandshake.newKey()
        let host = headers.first { $0.name.lowercased() == "host" }?.value ?? parsed.hostHeader
        var request = "GET \(parsed.target) HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers where name.lowercased() != "host" { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<WebSocketConnection, WebSocketClientError>, Never>) in
            tcp.loop.execute {
                let handshake = WebSocketClientHandshake(key: key, configuration: configuration, timeout: timeout, loop: tcp.loop,
                                                         connection: tcp, onEvent: onEvent) { continuation.resume(returning: $0) }
                tcp.start(handler: handshake)
                tcp.write(bytes)
            }
        }
        return try result.get()
    }
}

extension WebSocketClient {
    /// Connects and returns the connection with its events as an async sequence, which ends after
    /// `.closed`. Events wait in the stream's buffer until read.
    public static func connect(to url: String, headers: [(name: String, value: String)] = [],
                               configuration: WebSocketConfiguration = WebSocketConfiguration(), tls: TLSClientContext? = nil,
                               timeout: Double = 10, group: EventLoopGroup = .shared)
        async throws(WebSocketClientError) -> (WebSocketConnection, AsyncStream<WebSocketEvent>) {
        let (stream, continuation) = AsyncStream<WebSocketEvent>.makeStream()
        let connection = try await connect(to: url, headers: headers, configuration: configuration, tls: tls, timeout: timeout,
                                           group: group) { event in
            continuation.yield(event)
            if case .closed = event { continuation.finish() }
        }
        return (connection, stream)
    }
}
