extension CallerPrivateKey {
    /// Reads a key file as `circles keygen` writes it: 64 hex characters for a secp256k1 private key,
    /// `ed25519:` and 64 hex characters for an Ed25519 seed (plain hex is read as a seed when `ed25519`).
    public init(contentsOfFile path: String, ed25519: Bool) throws(KeyFileError) {
        let text = try KeyFile.read(path)
        do {
            try self.init(hex: text, ed25519: ed25519)
        } catch {
            throw .invalid(path: path, reason: error.description)
        }
    }

    /// Writes `fileText` and a newline to `path` with mode 0600; refuses to replace an existing file
    /// unless `overwrite`.
    public func write(toFile path: String, overwrite: Bool = false) throws(KeyFileError) {
        try KeyFile.write(hex: fileText, to: path, overwrite: overwrite)
    }
}
