import COpenSSL

/// The server side of TLS: a certificate chain and its private key in PEM, TLS 1.2 or later, no
/// renegotiation. One context serves any number of connections (`HTTPServerConfiguration.tls`).
///
/// `@unchecked Sendable`: the OpenSSL context is only read once configured, which OpenSSL allows
/// from any thread.
public final class TLSServerContext: @unchecked Sendable {
    let context: OpaquePointer

    /// Loads the chain (leaf first, then intermediates) and the key from PEM files.
    public convenience init(certificateChainPath: String, privateKeyPath: String) throws(TLSError) {
        try self.init(chain: .file(certificateChainPath), key: .file(privateKeyPath))
    }

    /// Takes the chain (leaf first, then intermediates) and the key as PEM text.
    public convenience init(certificateChainPEM: String, privateKeyPEM: String) throws(TLSError) {
        try self.init(chain: .text(certificateChainPEM), key: .text(privateKeyPEM))
    }

    private init(chain: PEM.Source, key: PEM.Source) throws(TLSError) {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw .invalidConfiguration(TLSError.drainQueue(or: "cannot create a TLS context"))
        }
        do throws(TLSError) {
            guard circles_SSL_CTX_configure(context) == 1 else {
                throw .invalidConfiguration(TLSError.drainQueue(or: "cannot require TLS 1.2"))
            }
            let certificates = try PEM.certificates(chain)
            defer { certificates.forEach { X509_free($0) } }
            guard SSL_CTX_use_certificate(context, certificates[0]) == 1 else {
                throw .invalidConfiguration("unusable certificate in \(chain.name): \(TLSError.drainQueue(or: "rejected"))")
            }
            for intermediate in certificates.dropFirst() where circles_SSL_CTX_add1_chain_cert(context, intermediate) != 1 {
                throw .invalidConfiguration("unusable chain certificate in \(chain.name): \(TLSError.drainQueue(or: "rejected"))")
            }
            let privateKey = try PEM.privateKey(key)
            defer { EVP_PKEY_free(privateKey) }
            guard SSL_CTX_use_PrivateKey(context, privateKey) == 1, SSL_CTX_check_private_key(context) == 1 else {
                throw .invalidConfiguration("the private key in \(key.name) does not belong to the certificate in \(chain.name) ("
                                            + TLSError.drainQueue(or: "mismatch") + ")")
            }
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        self.context = context
    }

    deinit { SSL_CTX_free(context) }
}
