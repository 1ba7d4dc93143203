import COpenSSL

/// The client side of TLS: which certificates to trust and whether to check the host name (on by
/// default). TLS 1.2 or later, no renegotiation. One context serves any number of connections.
///
/// `@unchecked Sendable`: the OpenSSL context is only read once configured, which OpenSSL allows
/// from any thread.
public final class TLSClientContext: @unchecked Sendable {
    /// Which server certificates are accepted.
    public enum Trust: Sendable {
        /// Certificates issued by an authority of the system's CA store.
        case system
        /// Certificates issued by an authority in this PEM file.
        case certificateAuthorityFile(String)
        /// Certificates issued by an authority given as PEM text.
        case certificateAuthorityPEM(String)
        /// Exactly the certificate in this PEM file (for tests): no chain, issuer or validity checks.
        case pinnedCertificateFile(String)
        /// Exactly this certificate in PEM (for tests): no chain, issuer or validity checks.
        case pinnedCertificatePEM(String)
    }

    /// Whether the certificate must name the host connected to (DNS name or IP address).
    public let verifiesHostname: Bool
    let context: OpaquePointer
    /// The pinned certificate, which the context's verification callback reads.
    private let pinned: OpaquePointer?

    public init(trust: Trust = .system, verifyHostname: Bool = true) throws(TLSError) {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw .invalidConfiguration(TLSError.drainQueue(or: "cannot create a TLS context"))
        }
        var pinned: OpaquePointer?
        do throws(TLSError) {
            guard circles_SSL_CTX_configure(context) == 1 else {
                throw .invalidConfiguration(TLSError.drainQueue(or: "cannot require TLS 1.2"))
            }
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
            switch trust {
            case .system:
                guard SSL_CTX_set_default_verify_paths(context) == 1 else {
                    throw .invalidConfiguration("cannot load the system CA store: \(TLSError.drainQueue(or: "unknown error"))")
                }
            case .certificateAuthorityFile(let path):
                guard SSL_CTX_load_verify_locations(context, path, nil) == 1 else {
                    throw .invalidConfiguration("cannot load CA certificates from \(path): \(TLSError.drainQueue(or: "unreadable"))")
                }
            case .certificateAuthorityPEM(let text):
                let certificates = try PEM.certificates(.text(text))
                defer { certificates.forEach { X509_free($0) } }
                let store = SSL_CTX_get_cert_store(context)
                for certificate in certificates where X509_STORE_add_cert(store, certificate) != 1 {
                    throw .invalidConfiguration("cannot add a CA certificate: \(TLSError.drainQueue(or: "rejected"))")
                }
            case .pinnedCertificateFile(let path):
                pinned = try Self.leaf(.file(path))
            case .pinnedCertificatePEM(let text):
                pinned = try Self.leaf(.text(text))
            }
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        if let pinned { circles_SSL_CTX_pin_certificate(context, pinned) }
        self.context = context
        self.pinned = pinned
        verifiesHostname = verifyHostname
    }

    deinit {
        SSL_CTX_free(context)
        if let pinned { X509_free(pinned) }
    }

    /// The first certificate of `source`; the others are freed.
    private static func leaf(_ source: PEM.Source) throws(TLSError) -> OpaquePointer {
        let certificates = try PEM.certificates(source)
        certificates.dropFirst().forEach { X509_free($0) }
        return certificates[0]
    }

    private static let systemContext = Result { () throws(TLSError) in try TLSClientContext() }

    /// The default: the system's CA store, host names checked (what `wss://` URLs use unless told otherwise).
    public static var system: TLSClientContext {
        get throws(TLSError) { try systemContext.get() }
    }
}
