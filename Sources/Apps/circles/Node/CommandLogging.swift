import Foundation

/// One-line failures and warnings of the commands, on stderr (logging itself: `LoggingOptions`).
enum CommandLogging {
    /// Prints one line to stderr and exits.
    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("circles: \(message)\n".utf8))
        exit(code)
    }
}

extension CommandLogging {
    /// The loud line `--no-auth` prints on stderr.
    static func warnNoAuth() {
        let line = String(repeating: "!", count: 78)
        FileHandle.standardError.write(Data("""
            \(line)
            circles: WARNING: authentication is OFF (--no-auth). Anyone who can reach this node runs
            circles: scripts as "anonymous", with whatever the circles grant to "*". Use it only on a
            circles: machine you alone use, never on a shared host or a public address.
            \(line)

            """.utf8))
    }
}
