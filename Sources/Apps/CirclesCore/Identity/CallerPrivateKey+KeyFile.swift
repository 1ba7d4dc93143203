extension CallerPrivateKey {
    /// Reads a key file (64 hex characters, as `circles keygen` writes them): a secp256k1 private key,
    /// or an Ed25519 seed when `ed25519`.
    public init(contentsOfFile path: String, ed25519: Bool) throws(KeyFileError) {
        let text = try KeyFile.read(path)
        do {
            try self.init(hex: text, ed25519: ed25519)
        } catch {
            throw .invalid(path: path, reason: error.description)
        }
    }

    /// Writes the secret's hex and a newline to `path` with mode 0600; refuses to replace an existing
    /// file unless `overwrite`.
    public func write(toFile path: String, overwrite: Bool = false) throws(KeyFileError) {
        try KeyFile.write(hex: hex, to: path, overwrite: overwrite)
    }
}
