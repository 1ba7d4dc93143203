import Transport

/// The certificate and key a serving command was given, loaded once; a bad file ends the command.
enum ServerCertificate {
    static func load(certificate: String, key: String) -> TLSServerContext {
        do {
            return try TLSServerContext(certificateChainPath: certificate, privateKeyPath: key)
        } catch {
            CommandLogging.fail("\(error)", code: 2)
        }
    }
}
