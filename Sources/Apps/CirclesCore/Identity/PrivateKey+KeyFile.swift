extension PrivateKey {
    /// Reads a key file: the key's 64 hex characters (optionally `0x`), surrounding whitespace ignored.
    /// A file its group or others may read or write is refused (`KeyFileError.exposed`).
    public init(contentsOfFile path: String) throws(KeyFileError) {
        let text = try KeyFile.read(path)
        do {
            try self.init(hex: text)
        } catch {
            throw .invalid(path: path, reason: error.description)
        }
    }

    /// Writes the key's hex and a newline to `path` with mode 0600; refuses to replace an existing
    /// file unless `overwrite`.
    public func write(toFile path: String, overwrite: Bool = false) throws(KeyFileError) {
        try KeyFile.write(hex: hex, to: path, overwrite: overwrite)
    }
}
