import CircleClient
import CirclesCore
import Foundation
import TestSupport
import Transport
@testable import CirclesNode

/// A signing service installed in a router, served by an `HTTPServer` on 127.0.0.1 and an ephemeral port.
final class SigningFixture: Sendable {
    let service: SigningService
    let server: HTTPServer

    init(apiToken: String? = nil, configure: (inout SigningConfiguration) -> Void = { _ in }) throws {
        var configuration = SigningConfiguration()
        configure(&configuration)
        service = SigningService(configuration: configuration)
        var router = HTTPRouter()
        service.install(into: &router, apiToken: apiToken)
        server = try HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), router: router)
    }

    var url: String { "ws://127.0.0.1:\(server.port)/sign" }

    func stop() { server.stopAccepting() }

    /// The registry's connection for `key`.
    func connection(for key: SignerKey) async -> UInt64? { await service.registry.connection(for: key) }

    /// Waits until some connection other than `previous` is registered for `key`; returns it.
    @discardableResult
    func waitUntilRegistered(_ key: SignerKey, replacing previous: UInt64? = nil) async throws -> UInt64 {
        try await Wait.until(timeout: 60, "a connection registered for \(key)") {
            let current = await connection(for: key)
            return current != nil && current != previous
        }
        return await connection(for: key)!
    }

    /// A scripted signer for `key` (`ScriptedSigner.connect(_:key:then:)`), once the registry holds it.
    func registeredSigner(_ key: SignerPrivateKey, then later: @escaping ScriptedSigner.Policy) async throws -> ScriptedSigner {
        let signer = try await ScriptedSigner.connect(url, key: key, then: later)
        try await waitUntilRegistered(key.publicKey)
        return signer
    }

    /// Sends `POST path` with `body` over a fresh connection; returns the status and the parsed JSON body.
    func post(_ body: String, path: String = "/api/sign", headers: [String] = []) async throws -> (status: Int, json: JSON?) {
        let socket = try BlockingSocket(port: server.port)
        var request = "POST \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
        for header in headers { request += header + "\r\n" }
        request += "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        socket.send(request)
        let reply = String(decoding: await socket.readToEnd(), as: UTF8.self)
        let status = Int(reply.dropFirst(9).prefix(3)) ?? 0
        let json = reply.range(of: "\r\n\r\n").flatMap { try? JSONParser.parse(String(reply[$0.upperBound...])) }
        return (status, json)
    }
}
