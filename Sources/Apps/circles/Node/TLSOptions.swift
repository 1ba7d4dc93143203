import ArgumentParser
import Transport

/// `--tls-cert FILE --tls-key FILE`: serve wss:// and https:// (the same two flags on every serving command).
struct TLSOptions: ParsableArguments {
    @Option(help: ArgumentHelp("PEM certificate chain: serve wss:// and https:// (with --tls-key).", valueName: "file"))
    var tlsCert: String?
    @Option(help: ArgumentHelp("PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    /// The loaded certificate, or nil without TLS; a bad file ends the command with exit code 2.
    func load() -> TLSServerContext? {
        guard let tlsCert, let tlsKey else { return nil }
        return ServerCertificate.load(certificate: tlsCert, key: tlsKey)
    }
}
