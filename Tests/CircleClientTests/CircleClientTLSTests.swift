import CircleClient
import CirclesCore
import CirclesTestSupport
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// The client and `circles play` over `wss://` against a node with a certificate made at test time.
@Suite struct CircleClientTLSTests {
    static func secureRig(_ certificate: TestCertificate) throws -> NodeRig {
        try NodeRig {
            $0.authRequired = true
            $0.tls = try TLSServerContext(certificateChainPath: certificate.certificatePath, privateKeyPath: certificate.keyPath)
        }
    }

    @Test func authenticatesPlaysAndReconnectsOverWSS() async throws {
        let certificate = try await TestCertificate.make()
        let rig = try Self.secureRig(certificate)
        let key = PrivateKey()
        let client = try CircleClient.Builder(url: "wss://localhost:\(rig.port)/\(rig.circle)").keyPair(key).timeout(20)
            .tls(try TLSClientContext(trust: .certificateAuthorityFile(certificate.caPath)))
            .reconnect(ReconnectPolicy(initialDelay: 0.01, maxDelay: 0.05)).build()
        try await client.connect()
        try await client.authenticate()
        #expect(try await client.play("`secure ${CALLER_PUBLIC_KEY}`").output == "secure \(key.publicKey.hex)")
        rig.node.runtime.live.closeAll()
        try await Wait.until(timeout: 10, "the client reconnected") { client.connectionCount == 2 && client.isConnected }
        #expect(try await client.whoami().authenticated)
        await client.close()
        try await rig.stop()
    }

    @Test func anUntrustedCertificateIsAConnectFailure() async throws {
        let certificate = try await TestCertificate.make()
        let rig = try Self.secureRig(certificate)
        let client = try CircleClient.Builder(url: "wss://localhost:\(rig.port)/\(rig.circle)").build()
        await #expect { try await client.connect() } throws: { error in
            guard case CircleClientError.connectFailed(let detail) = error else { return false }
            return detail.contains("certificate")
        }
        // Trusting another authority (a wrong CA file) is no better than trusting none.
        let otherAuthority = try await TestCertificate.make()
        let wrongCA = try CircleClient.Builder(url: "wss://localhost:\(rig.port)/\(rig.circle)")
            .tls(try TLSClientContext(trust: .certificateAuthorityFile(otherAuthority.caPath))).build()
        await #expect { try await wrongCA.connect() } throws: { error in
            guard case CircleClientError.connectFailed(let detail) = error else { return false }
            return detail.contains("certificate")
        }
        try await rig.stop()
    }

    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build)"))
    func circlesPlayTrustsTheGivenAuthority() async throws {
        let certificate = try await TestCertificate.make()
        let rig = try Self.secureRig(certificate)
        let keyFile = try TemporaryDirectory.make(prefix: "circles-play-tls") + "/me.key"
        try PrivateKey().write(toFile: keyFile)
        let url = "wss://localhost:\(rig.port)/\(rig.circle)"
        let played = try await CirclesCommand.run(["play", "--url", url, "--key", keyFile, "--tls-ca", certificate.caPath, "-e", "6 * 7"])
        #expect(played.status == 0 && played.stdout == "42\n")
        let untrusted = try await CirclesCommand.run(["play", "--url", url, "--key", keyFile, "-e", "6 * 7"])
        #expect(untrusted.status == 3 && untrusted.stderr.contains("cannot connect"))
        let otherAuthority = try await TestCertificate.make()
        let wrongCA = try await CirclesCommand.run(["play", "--url", url, "--key", keyFile, "--tls-ca", otherAuthority.caPath, "-e", "6 * 7"])
        #expect(wrongCA.status == 3 && wrongCA.stderr.contains("cannot connect") && wrongCA.stdout.isEmpty, "\(wrongCA)")
        try await rig.stop()
    }
}
