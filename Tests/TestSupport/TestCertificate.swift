import Foundation

/// A throwaway certificate authority and a server certificate it signed (EC P-256, valid two days),
/// made with the `openssl` command line in a temporary directory, for TLS tests.
public struct TestCertificate: Sendable {
    public let directory: String
    /// The CA's certificate (PEM file).
    public var caPath: String { directory + "/ca.pem" }
    /// The server certificate (PEM file).
    public var certificatePath: String { directory + "/server.pem" }
    /// The server's private key (PEM file).
    public var keyPath: String { directory + "/server.key" }

    public var caPEM: String { get throws { try String(contentsOfFile: caPath, encoding: .utf8) } }
    public var certificatePEM: String { get throws { try String(contentsOfFile: certificatePath, encoding: .utf8) } }
    public var keyPEM: String { get throws { try String(contentsOfFile: keyPath, encoding: .utf8) } }

    /// A new CA and a server certificate for `names` (DNS names or IP addresses), made on a thread of
    /// their own (the `openssl` runs are awaited, not blocked on).
    public static func make(names: [String] = ["localhost", "127.0.0.1", "::1"]) async throws -> TestCertificate {
        try await onDedicatedThread { try makeBlocking(names: names) }
    }

    private static func makeBlocking(names: [String]) throws -> TestCertificate {
        let directory = try TemporaryDirectory.make(prefix: "circles-tls")
        let alternativeNames = names.map { name in
            var address = [UInt8](repeating: 0, count: 16)
            let isAddress = inet_pton(AF_INET, name, &address) == 1 || inet_pton(AF_INET6, name, &address) == 1
            return isAddress ? "IP:\(name)" : "DNS:\(name)"
        }
        let config = """
            [req]
            distinguished_name = dn
            prompt = no
            [dn]
            CN = circles test
            [ca]
            basicConstraints = critical, CA:TRUE
            keyUsage = critical, keyCertSign, cRLSign
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid:always
            [leaf]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature
            extendedKeyUsage = serverAuth
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid:always
            subjectAltName = \(alternativeNames.joined(separator: ", "))

            """
        try config.write(toFile: directory + "/openssl.cnf", atomically: true, encoding: .utf8)
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(directory, ["req", "-x509", "-config", "openssl.cnf", "-extensions", "ca"] + key
                    + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=circles test CA \(UInt32.random(in: 0...UInt32.max))"])
        try openssl(directory, ["req", "-new", "-config", "openssl.cnf"] + key
                    + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=\(names.first ?? "circles test server")"])
        try openssl(directory, ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                                "-set_serial", String(UInt32.random(in: 1...UInt32.max)), "-days", "2",
                                "-extfile", "openssl.cnf", "-extensions", "leaf", "-out", "server.pem"])
        return TestCertificate(directory: directory)
    }

    private static func openssl(_ directory: String, _ arguments: [String]) throws {
        // Paths are relative to `directory`: the child runs there through `sh -c 'cd ...'`.
        let command = "cd '\(directory)' && exec openssl " + arguments.map { "'\($0)'" }.joined(separator: " ")
        let log = directory + "/openssl.log"
        let child = try ChildProcess(try Executables.find("sh"), ["-c", command], log: log)
        let status = child.wait()
        guard ChildProcess.exitCode(of: status) == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw ChildProcess.Failure(description: "openssl \(arguments.first ?? "") failed: \(output)")
        }
    }
}
