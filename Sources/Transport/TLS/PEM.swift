import COpenSSL

/// Reading PEM certificates and keys, from a file or from text, for the TLS contexts.
enum PEM {
    /// Where PEM text comes from; `name` is used in error messages.
    enum Source {
        case file(String)
        case text(String)

        var name: String {
            switch self {
            case .file(let path): path
            case .text: "the PEM text"
            }
        }
    }

    /// Every certificate in `source`, in order (a chain starts with the leaf); the caller frees them.
    static func certificates(_ source: Source) throws(TLSError) -> [OpaquePointer] {
        let bio = try open(source)
        defer { BIO_free(bio) }
        var out: [OpaquePointer] = []
        while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) { out.append(certificate) }
        // Reading stops with "no start line" at the end of the input: expected, not an error.
        ERR_clear_error()
        guard !out.isEmpty else {
            throw .invalidConfiguration("no PEM certificate in \(source.name)")
        }
        return out
    }

    /// The private key in `source`; the caller frees it.
    static func privateKey(_ source: Source) throws(TLSError) -> OpaquePointer {
        let bio = try open(source)
        defer { BIO_free(bio) }
        guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
            throw .invalidConfiguration("no PEM private key in \(source.name): \(TLSError.drainQueue(or: "unreadable"))")
        }
        return key
    }

    private static func open(_ source: Source) throws(TLSError) -> OpaquePointer {
        ERR_clear_error()
        switch source {
        case .file(let path):
            guard let bio = BIO_new_file(path, "r") else {
                throw .invalidConfiguration("cannot read \(path): \(TLSError.drainQueue(or: "cannot open the file"))")
            }
            return bio
        case .text(let text):
            guard let bio = BIO_new(BIO_s_mem()) else { throw .invalidConfiguration("out of memory") }
            var text = text
            let written = text.withUTF8 { BIO_write(bio, $0.baseAddress, Int32($0.count)) }
            guard written == text.utf8.count else {
                BIO_free(bio)
                throw .invalidConfiguration("cannot buffer the PEM text")
            }
            return bio
        }
    }
}
