import Synchronization
import TestSupport
import Testing
@testable import Transport

/// Certificates and servers shared by the TLS tests.
enum TLSFixtures {
    /// A CA and a server certificate for localhost, 127.0.0.1 and ::1, made once per test run.
    private static let shared = Task { try await TestCertificate.make() }

    static func certificate() async throws -> TestCertificate { try await shared.value }

    static func serverContext(_ certificate: TestCertificate) throws -> TLSServerContext {
        try TLSServerContext(certificateChainPath: certificate.certificatePath, privateKeyPath: certificate.keyPath)
    }

    /// A client trusting the certificate's CA.
    static func clientContext(_ certificate: TestCertificate, verifyHostname: Bool = true) throws -> TLSClientContext {
        try TLSClientContext(trust: .certificateAuthorityFile(certificate.caPath), verifyHostname: verifyHostname)
    }

    /// A WebSocket echo server (and `/plain`) speaking TLS, which records TLS failures.
    static func echoServer(_ certificate: TestCertificate, failures: TLSFailureLog = TLSFailureLog(),
                           _ configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws -> WebSocketEchoServer {
        let context = try serverContext(certificate)
        return try WebSocketEchoServer(http: { http in
            http.tls = context
            http.onTLSFailure = { _, error in failures.append(error) }
            configure(&http)
        })
    }
}

/// TLS failures a server reported.
final class TLSFailureLog: Sendable {
    private let storage = Mutex<[TLSError]>([])
    func append(_ error: TLSError) { storage.withLock { $0.append(error) } }
    var all: [TLSError] { storage.withLock { $0 } }
}

/// A client connection for tests over our transport (TLS or not): it collects what arrives and
/// closes when the server has finished sending.
final class CollectingClient: ConnectionHandler, @unchecked Sendable {
    private struct State {
        var bytes: [UInt8] = []
        var inputEnded = false
        var closeNotify = false
        var closed = false
    }

    let connection: TCPConnection
    private let state = Mutex(State())

    private init(_ connection: TCPConnection) { self.connection = connection }

    static func connect(port: Int, host: String = "127.0.0.1", tls: TLSClientContext?, serverName: String? = nil) async throws -> CollectingClient {
        let connection = try await TCPConnection.connect(host: host, port: port, timeout: 10, tls: tls, serverName: serverName)
        let client = CollectingClient(connection)
        connection.loop.execute { connection.start(handler: client) }
        return client
    }

    func send(_ text: String) { connection.send(Array(text.utf8)) }

    var text: String { state.withLock { String(decoding: $0.bytes, as: UTF8.self) } }
    var isClosed: Bool { state.withLock { $0.closed } }
    /// Whether the server's TLS close_notify arrived before the end of its input.
    var sawCloseNotify: Bool { state.withLock { $0.closeNotify } }

    /// The TLS version and failure, read on the loop thread.
    func tlsState() async -> (version: String?, failure: TLSError?) {
        await withCheckedContinuation { continuation in
            connection.loop.execute { [connection] in continuation.resume(returning: (connection.tlsVersion, connection.tlsFailure)) }
        }
    }

    func waitForText(containing marker: String) async throws {
        try await Wait.until(timeout: 10, "a reply containing \(marker)") { text.contains(marker) }
    }

    func waitUntilClosed() async throws {
        try await Wait.until(timeout: 10, "the server to close the connection") { isClosed }
    }

    func received(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection) {
        state.withLock { $0.bytes.append(contentsOf: bytes) }
    }

    func inputEnded(_ connection: TCPConnection) {
        let closeNotify = connection.tls?.receivedCloseNotify ?? false
        state.withLock {
            $0.inputEnded = true
            $0.closeNotify = closeNotify
        }
        connection.close()
    }

    func closed(_ connection: TCPConnection) {
        state.withLock { $0.closed = true }
    }
}
