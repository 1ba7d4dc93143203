import Codecs
import COpenSSL

/// The opening handshake of RFC 6455 section 4: checks of the client's request, the server's answer,
/// and the client's check of that answer.
public enum WebSocketHandshake {
    static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// The 101 response for a valid upgrade request, or the error response explaining what is wrong
    /// (426 for a missing upgrade or an unsupported version, 400 for the rest).
    public static func response(to request: HTTPRequest) -> HTTPResponse {
        guard request.method == "GET" else { return HTTPResponse.text(405, "WebSocket upgrades use GET") }
        guard request.headerContains("Upgrade", token: "websocket") else {
            var response = HTTPResponse.text(426, "this endpoint speaks WebSocket: send Upgrade: websocket")
            response.headers += [("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13")]
            return response
        }
        guard request.version == "HTTP/1.1" else { return HTTPResponse.text(400, "WebSocket needs HTTP/1.1") }
        guard request.header("Host") != nil else { return HTTPResponse.text(400, "missing Host header") }
        guard request.headerContains("Connection", token: "upgrade") else {
            return HTTPResponse.text(400, "Connection header must include Upgrade")
        }
        guard trimmed(request.header("Sec-WebSocket-Version")) == "13" else {
            var response = HTTPResponse.text(426, "unsupported WebSocket version; this server speaks 13")
            response.headers.append(("Sec-WebSocket-Version", "13"))
            return response
        }
        guard let key = trimmed(request.header("Sec-WebSocket-Key")), Base64.decode(key)?.count == 16 else {
            return HTTPResponse.text(400, "Sec-WebSocket-Key must be 16 bytes in base64")
        }
        return HTTPResponse(status: 101, headers: [
            ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", accept(for: key)),
        ])
    }

    private static func trimmed(_ value: String?) -> String? {
        value.map { String(Substring($0).trimmingCharacters(in: " \t")) }
    }

    /// base64(SHA-1(key + GUID)).
    static func accept(for key: String) -> String {
        let input = Array((key + guid).utf8)
        var digest = [UInt8](repeating: 0, count: 20)
        _ = input.withUnsafeBufferPointer { SHA1($0.baseAddress, $0.count, &digest) }
        return Base64.encode(digest)
    }

    /// A fresh random key for a client request.
    static func newKey() -> String {
        Base64.encode((0..<16).map { _ in UInt8.random(in: 0...255) })
    }
}
