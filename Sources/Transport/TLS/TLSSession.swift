import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// One connection's TLS state over two memory BIOs: ciphertext from the socket is fed in, OpenSSL
/// decrypts it, and what OpenSSL has to send waits in the output BIO until the connection writes it
/// out. OpenSSL never touches the socket, so nothing here blocks. `TCPConnection` drives it on its
/// loop thread only.
final class TLSSession {
    enum Progress {
        case established
        case needsInput
        case failed(TLSError)
    }

    enum ReadResult {
        case bytes(Int)
        case needsInput
        /// The peer sent close_notify: it will send nothing more.
        case closed
        case failed(TLSError)
    }

    let isServer: Bool
    /// The name a client verifies; nil on the server.
    let host: String?
    private let ssl: OpaquePointer
    private let input: OpaquePointer
    private let output: OpaquePointer
    /// Keeps the OpenSSL context (and a pinned certificate) alive as long as the connection.
    private let context: AnyObject

    // Connection state, driven by `TCPConnection+TLS`.
    var established = false
    var receivedAny = false
    var sentCloseNotify = false
    var receivedCloseNotify = false
    /// Why TLS ended the connection.
    var failure: TLSError?
    /// Plaintext written before the handshake finished.
    var pendingPlaintext: [UInt8] = []
    /// A graceful close was asked for during the handshake; it happens once `pendingPlaintext` is out.
    var closeRequested = false
    /// A client's `connect` waiting for the handshake.
    var completion: ((TLSError?) -> Void)?
    var timer: UInt64?

    init(server: TLSServerContext) throws(TLSError) {
        isServer = true
        host = nil
        context = server
        (ssl, input, output) = try Self.make(server.context)
        SSL_set_accept_state(ssl)
    }

    /// A client session for `host` (a DNS name or an IP address): SNI for names, and the certificate
    /// checked against the host when the context verifies host names.
    init(client: TLSClientContext, host: String) throws(TLSError) {
        isServer = false
        self.host = host
        context = client
        (ssl, input, output) = try Self.make(client.context)
        SSL_set_connect_state(ssl)
        let isAddress = Self.isIPAddress(host)
        if !isAddress { _ = circles_SSL_set_tlsext_host_name(ssl, host) }
        if client.verifiesHostname {
            let set = isAddress ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) : SSL_set1_host(ssl, host)
            // (self is complete here: deinit frees the session)
            guard set == 1 else {
                throw .invalidConfiguration("cannot verify the host name \(host): \(TLSError.drainQueue(or: "rejected"))")
            }
        }
    }

    deinit { SSL_free(ssl) }

    private static func make(_ context: OpaquePointer) throws(TLSError) -> (OpaquePointer, OpaquePointer, OpaquePointer) {
        ERR_clear_error()
        guard let ssl = SSL_new(context) else { throw .handshakeFailed(TLSError.drainQueue(or: "cannot create a TLS session")) }
        guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw .handshakeFailed("out of memory")
        }
        // An empty input BIO means "more to come", not end of file.
        _ = circles_BIO_set_mem_eof_return(input, -1)
        SSL_set_bio(ssl, input, output)
        return (ssl, input, output)
    }

    static func isIPAddress(_ host: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, host, &buffer) == 1 || inet_pton(AF_INET6, host, &buffer) == 1
    }

    /// Whether the first bytes from a client are plain text (an HTTP request line starts with an
    /// upper-case method) rather than a TLS record (content type 20-24).
    static func looksLikePlainHTTP(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let first = bytes.first else { return false }
        return (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first)
    }

    /// The negotiated protocol, such as "TLSv1.3".
    var version: String { String(cString: SSL_get_version(ssl)) }

    /// Ciphertext from the peer.
    func feed(_ bytes: UnsafeRawBufferPointer) {
        receivedAny = true
        _ = BIO_write(input, bytes.baseAddress, Int32(bytes.count))
    }

    func handshake() -> Progress {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 { return .established }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return .needsInput
        default: return .failed(handshakeError())
        }
    }

    private func handshakeError() -> TLSError {
        let reason = TLSError.drainQueue(or: "the peer ended the handshake")
        if let host {
            let verification = SSL_get_verify_result(ssl)
            if verification == X509_V_ERR_HOSTNAME_MISMATCH || verification == X509_V_ERR_IP_ADDRESS_MISMATCH {
                return .hostnameMismatch(host: host)
            }
            if verification != X509_V_OK {
                return .untrustedCertificate(String(cString: X509_verify_cert_error_string(verification)))
            }
        }
        return .handshakeFailed(reason)
    }

    /// Decrypts into `buffer`: at most one record's plaintext per call.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        ERR_clear_error()
        let result = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        if result > 0 { return .bytes(Int(result)) }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .needsInput
        case SSL_ERROR_ZERO_RETURN:
            receivedCloseNotify = true
            return .closed
        default:
            return .failed(.protocolError(TLSError.drainQueue(or: "cannot decrypt")))
        }
    }

    /// Encrypts all of `bytes` into the output BIO.
    func write(_ bytes: UnsafeRawBufferPointer) -> TLSError? {
        guard !bytes.isEmpty else { return nil }
        ERR_clear_error()
        let result = SSL_write(ssl, bytes.baseAddress, Int32(clamping: bytes.count))
        return result == bytes.count ? nil : .protocolError(TLSError.drainQueue(or: "cannot encrypt"))
    }

    /// Queues close_notify.
    func shutdown() {
        guard !sentCloseNotify else { return }
        sentCloseNotify = true
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    /// Hands the ciphertext waiting to be sent to `body`, then forgets it.
    func drainOutput(_ body: (UnsafeRawBufferPointer) -> Void) {
        var data: UnsafeMutablePointer<CChar>?
        let count = circles_BIO_get_mem_data(output, &data)
        guard count > 0, let data else { return }
        body(UnsafeRawBufferPointer(start: data, count: count))
        _ = circles_BIO_reset(output)
    }
}
