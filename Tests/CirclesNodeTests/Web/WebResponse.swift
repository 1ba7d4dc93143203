import CirclesTestSupport
import Foundation
import TestSupport

/// A raw HTTP exchange over a fresh connection, with the response's head parsed.
struct WebResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    subscript(name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    static func get(_ rig: NodeRig, _ path: String, headers: [String: String] = [:]) async throws -> WebResponse {
        let extra = headers.map { "\($0.key): \($0.value)\r\n" }.joined()
        return try await request(rig, "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(rig.port)\r\nConnection: close\r\n\(extra)\r\n")
    }

    static func request(_ rig: NodeRig, _ raw: String) async throws -> WebResponse {
        let socket = try BlockingSocket(port: rig.port)
        socket.send(raw)
        let bytes = await socket.readToEnd()
        let separator = Array("\r\n\r\n".utf8)
        guard let end = (0...(bytes.count - separator.count)).first(where: { Array(bytes[$0..<($0 + 4)]) == separator }) else {
            return WebResponse(status: 0, headers: [], body: bytes)
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        let fields = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return WebResponse(status: status, headers: fields, body: Array(bytes[(end + 4)...]))
    }
}
