import CirclesCore
import CirclesTestSupport
import TestSupport
import Testing
@testable import CirclesNode

/// Origins, hosts and body types over real sockets (issue 16): a browser page of another origin, or one
/// that rebound its own name to 127.0.0.1, reaches no circle; `POST`s need a JSON body type.
@Suite struct RequestAdmissionTests {
    /// The status of a WebSocket upgrade of the rig's circle with these extra header lines.
    func upgradeStatus(_ rig: NodeRig, host: String? = nil, origin: String?) async throws -> Int {
        let socket = try BlockingSocket(port: rig.port)
        var head = "GET /\(rig.circle) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(rig.port)")\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        head += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        if let origin { head += "Origin: \(origin)\r\n" }
        socket.send(head + "\r\n")
        let answer = await socket.read(until: "\r\n\r\n")
        socket.hangUp()
        return Int(answer.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    @Test func aForeignOriginCannotOpenASessionButOwnAndListedOnesCan() async throws {
        let rig = try NodeRig { $0.allowedOrigins = ["https://app.example"] }
        #expect(try await upgradeStatus(rig, origin: "http://evil.example") == 403)
        #expect(try await upgradeStatus(rig, origin: "null") == 403)
        #expect(try await upgradeStatus(rig, origin: "http://127.0.0.1:\(rig.port + 1)") == 403, "another port is another origin")
        #expect(try await upgradeStatus(rig, origin: nil) == 101, "no Origin: not a browser")
        #expect(try await upgradeStatus(rig, origin: "http://127.0.0.1:\(rig.port)") == 101)
        #expect(try await upgradeStatus(rig, origin: "http://localhost:\(rig.port)") == 101)
        #expect(try await upgradeStatus(rig, origin: "https://app.example") == 101)
        #expect(try await rig.get("/metrics", headers: ["Origin": "http://evil.example"]).status == 403)
        try await rig.stop()
    }

    @Test func aForeignHostGetsNothingOnALoopbackNode() async throws {
        let rig = try NodeRig()
        #expect(try await upgradeStatus(rig, host: "evil.example:\(rig.port)", origin: "http://evil.example:\(rig.port)") == 421)
        let rebound = try await rig.get("/health", headers: ["Host": "evil.example:\(rig.port)"])
        #expect(rebound.status == 421)
        #expect(!rebound.body.contains(rig.circle), "a rebound name does not list the circles")
        #expect(try await rig.get("/health", headers: ["Host": "localhost:\(rig.port + 1)"]).status == 421)
        for host in ["127.0.0.1:\(rig.port)", "localhost:\(rig.port)", "LOCALHOST", "[::1]:\(rig.port)"] {
            let health = try await rig.get("/health", headers: ["Host": host])
            #expect([200, 503].contains(health.status), "\(host): admitted (503 while the node is still starting)")
            #expect(health.body.contains(rig.circle))
        }
        try await rig.stop()
    }

    @Test func postsNeedAJSONBody() async throws {
        let service = SigningService()
        let rig = try NodeRig { $0.routes.append { service.install(into: &$0, apiToken: nil) } }
        let body = #"{"public_key": "\#(PrivateKey().publicKey.hex)", "message": "AQID"}"#
        for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""] {
            #expect(try await rig.post("/api/sign", headers: ["Content-Type": type], body: body).status == 415, "\(type)")
            #expect(try await rig.post("/webhooks/idenfy/\(rig.circle)", headers: ["Content-Type": type], body: "{}").status == 415)
        }
        let json = try await rig.post("/api/sign", headers: ["Content-Type": "application/json; charset=utf-8"], body: body)
        #expect(json.status == 404, "past the type check: no signer for that key (\(json.body))")
        try await rig.stop()
    }

    @Test(arguments: ["gzip, chunked", "chunked, gzip", "identity"])
    func transferCodingsOtherThanChunkedGet501AndTheConnectionCloses(coding: String) async throws {
        let rig = try NodeRig()
        let socket = try BlockingSocket(port: rig.port)
        socket.send("POST /webhooks/idenfy/\(rig.circle) HTTP/1.1\r\nHost: 127.0.0.1:\(rig.port)\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: \(coding)\r\n\r\n2\r\n{}\r\n0\r\n\r\nGET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let (bytes, closed) = await socket.readAll()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 501"), "\(text)")
        #expect(!text.contains("HTTP/1.1 200"), "nothing after the refused request is read")
        #expect(closed)
        try await rig.stop()
    }
}
