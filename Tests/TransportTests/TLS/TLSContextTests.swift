import TestSupport
import Testing
@testable import Transport

/// Loading certificates and keys, and the errors for bad material.
@Suite struct TLSContextTests {
    @Test func serverContextsLoadFromFilesAndText() async throws {
        let certificate = try await TLSFixtures.certificate()
        _ = try TLSServerContext(certificateChainPath: certificate.certificatePath, privateKeyPath: certificate.keyPath)
        _ = try TLSServerContext(certificateChainPEM: try certificate.certificatePEM, privateKeyPEM: try certificate.keyPEM)
        // a chain: the leaf, then its CA
        _ = try TLSServerContext(certificateChainPEM: try certificate.certificatePEM + certificate.caPEM, privateKeyPEM: try certificate.keyPEM)
    }

    @Test func badServerMaterialIsAClearError() async throws {
        let certificate = try await TLSFixtures.certificate()
        let stranger = try await TestCertificate.make()
        #expect { _ = try TLSServerContext(certificateChainPath: "/nonexistent/server.pem", privateKeyPath: certificate.keyPath) } throws: { error in
            guard case TLSError.invalidConfiguration(let detail) = error else { return false }
            return detail.hasPrefix("cannot read /nonexistent/server.pem")
        }
        #expect(throws: TLSError.invalidConfiguration("no PEM certificate in the PEM text")) {
            _ = try TLSServerContext(certificateChainPEM: "not a certificate", privateKeyPEM: try certificate.keyPEM)
        }
        #expect { _ = try TLSServerContext(certificateChainPEM: try certificate.certificatePEM, privateKeyPEM: "") } throws: { error in
            guard case TLSError.invalidConfiguration(let detail) = error else { return false }
            return detail.hasPrefix("no PEM private key in the PEM text")
        }
        #expect { _ = try TLSServerContext(certificateChainPath: certificate.certificatePath, privateKeyPath: stranger.keyPath) } throws: { error in
            guard case TLSError.invalidConfiguration(let detail) = error else { return false }
            return detail.hasPrefix("the private key in \(stranger.keyPath) does not belong to the certificate in \(certificate.certificatePath)")
        }
    }

    @Test func badClientMaterialIsAClearError() async throws {
        #expect { _ = try TLSClientContext(trust: .certificateAuthorityFile("/nonexistent/ca.pem")) } throws: { error in
            guard case TLSError.invalidConfiguration(let detail) = error else { return false }
            return detail.hasPrefix("cannot load CA certificates from /nonexistent/ca.pem")
        }
        #expect(throws: TLSError.invalidConfiguration("no PEM certificate in the PEM text")) {
            _ = try TLSClientContext(trust: .pinnedCertificatePEM("garbage"))
        }
    }
}
