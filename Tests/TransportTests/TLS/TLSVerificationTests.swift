import TestSupport
import Testing
@testable import Transport

/// Clients verify the server: the trust options, host names, and the typed errors when either fails.
@Suite struct TLSVerificationTests {
    func connect(_ url: String, _ tls: TLSClientContext) async throws(WebSocketClientError) {
        let (connection, _) = try await WebSocketClient.connect(to: url, tls: tls)
        connection.close()
    }

    @Test func aCertificateForAnotherHostIsRejectedWithATypedError() async throws {
        let other = try await TestCertificate.make(names: ["circles.test"])
        let failures = TLSFailureLog()
        let server = try TLSFixtures.echoServer(other, failures: failures)
        defer { server.stop() }
        let tls = try TLSFixtures.clientContext(other)
        await #expect(throws: WebSocketClientError.tlsFailed(.hostnameMismatch(host: "127.0.0.1"))) {
            try await connect("wss://127.0.0.1:\(server.port)/echo", tls)
        }
        await #expect(throws: WebSocketClientError.tlsFailed(.hostnameMismatch(host: "localhost"))) {
            try await connect("wss://localhost:\(server.port)/echo", tls)
        }
        #expect(WebSocketClientError.tlsFailed(.hostnameMismatch(host: "localhost")).description
                == "the peer's certificate is not valid for localhost")
        // the server hears why: our client's alert
        try await Wait.until(timeout: 10, "the server to report the rejections") { failures.all.count == 2 }
        // the same certificate is fine for its own name, or with the check off
        let named = try await CollectingClient.connect(port: server.port, tls: tls, serverName: "circles.test")
        #expect(await named.tlsState().version != nil)
        named.connection.close()
        try await connect("wss://127.0.0.1:\(server.port)/echo", try TLSFixtures.clientContext(other, verifyHostname: false))
    }

    @Test func anUntrustedCertificateIsRejectedWithATypedError() async throws {
        let certificate = try await TLSFixtures.certificate()
        let server = try TLSFixtures.echoServer(certificate)
        defer { server.stop() }
        let url = "wss://127.0.0.1:\(server.port)/echo"
        // another CA, and the system store (which does not know our test CA)
        let stranger = try await TestCertificate.make()
        for tls in [try TLSFixtures.clientContext(stranger), try TLSClientContext.system] {
            await #expect {
                try await connect(url, tls)
            } throws: { error in
                guard case WebSocketClientError.tlsFailed(.untrustedCertificate(let reason)) = error else { return false }
                return reason.contains("local issuer certificate")
            }
        }
        // the default for wss:// is the system store
        await #expect {
            _ = try await WebSocketClient.connect(to: url)
        } throws: { error in
            guard case WebSocketClientError.tlsFailed(.untrustedCertificate) = error else { return false }
            return true
        }
    }

    @Test func trustingExactlyOneCertificate() async throws {
        let certificate = try await TLSFixtures.certificate()
        let server = try TLSFixtures.echoServer(certificate)
        defer { server.stop() }
        let url = "wss://127.0.0.1:\(server.port)/echo"
        try await connect(url, try TLSClientContext(trust: .pinnedCertificatePEM(try certificate.certificatePEM)))
        try await connect(url, try TLSClientContext(trust: .pinnedCertificateFile(certificate.certificatePath)))
        // a CA's certificate is not the server's: pinning is exact
        let notIt = try TLSClientContext(trust: .pinnedCertificateFile(certificate.caPath))
        await #expect(throws: WebSocketClientError.tlsFailed(.untrustedCertificate("certificate not trusted"))) {
            try await connect(url, notIt)
        }
        // the pinned certificate must still name the host
        let other = try await TestCertificate.make(names: ["circles.test"])
        let otherServer = try TLSFixtures.echoServer(other)
        defer { otherServer.stop() }
        await #expect(throws: WebSocketClientError.tlsFailed(.hostnameMismatch(host: "127.0.0.1"))) {
            try await connect("wss://127.0.0.1:\(otherServer.port)/echo", try TLSClientContext(trust: .pinnedCertificatePEM(try other.certificatePEM)))
        }
        try await connect("wss://127.0.0.1:\(otherServer.port)/echo",
                          try TLSClientContext(trust: .pinnedCertificatePEM(try other.certificatePEM), verifyHostname: false))
    }

    @Test func aCAGivenAsPEMText() async throws {
        let certificate = try await TLSFixtures.certificate()
        let server = try TLSFixtures.echoServer(certificate)
        defer { server.stop() }
        try await connect("wss://localhost:\(server.port)/echo", try TLSClientContext(trust: .certificateAuthorityPEM(try certificate.caPEM)))
    }

    @Test func aHandshakeThatNeverAnswersTimesOut() async throws {
        // a listener that accepts and never says anything
        let listener = try TCPListener(host: "127.0.0.1", port: 0) { connection in
            connection.start(handler: SilentHandler())
        }
        defer { listener.close() }
        let certificate = try await TLSFixtures.certificate()
        await #expect(throws: WebSocketClientError.tlsFailed(.handshakeTimedOut)) {
            _ = try await WebSocketClient.connect(to: "wss://127.0.0.1:\(listener.port)/", tls: try TLSFixtures.clientContext(certificate),
                                                  timeout: 1)
        }
    }
}

/// Reads and ignores everything.
private final class SilentHandler: ConnectionHandler {
    func received(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection) {}
    func closed(_ connection: TCPConnection) {}
}
