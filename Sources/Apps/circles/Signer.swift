import Codecs
import Threads
import ArgumentParser
import CircleClient
import Foundation
import Logging
import Synchronization
import Transport

/// `circles signer --url ws://host:port/sign --key FILE [--ed25519]`: a signer for a node's signing
/// service that stays connected (reconnecting after a lost connection) and prints each request it signs.
struct Signer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Connect to a node's signing service and sign what it asks, printing each request.",
        discussion: """
            FILE holds the hex of a 32-byte secp256k1 private key (or an Ed25519 seed: "ed25519:" and its hex, as \
            `circles keygen --ed25519` writes it, or plain hex with --ed25519). \
            The signer introduces itself with the public key, signs the service's challenge (over \
            "circles-register:v1", the service's host, the key and the challenge), and then answers every \
            sign_request with a signature over "circles-sign:v1\\n" + its message, until interrupted: what \
            it signs for requests can never log anyone in or register its key elsewhere. It reconnects \
            after a lost connection, but not after being replaced by a newer signer for the same key or \
            refused by the service (exit code 1). Exit code 2: bad usage or an unreadable key file.

            Examples:
              circles keygen --out signer.key && circles signer --url ws://127.0.0.1:8080/sign --key signer.key
              circles signer --url wss://node.example:8443/sign --key ed.key --ed25519
            """
    )

    @Option(help: "The signing endpoint, for example ws://127.0.0.1:8080/sign.")
    var url: String

    @Option(help: "A file with the private key in hex.")
    var key: String

    @Flag(help: "The key is an Ed25519 seed rather than a secp256k1 private key.")
    var ed25519 = false

    @Option(help: "Seconds to wait for the connection and the registration.")
    var timeout: Double = 10

    @OptionGroup(title: "Logging") var logging: LoggingOptions

    func run() async throws {
        logging.bootstrap()
        let logger = Logger(label: "circles.signer")
        guard let text = try? String(contentsOfFile: key, encoding: .utf8) else {
            throw ValidationError("cannot read the key file \(key)")
        }
        let signerKey: SignerPrivateKey
        do {
            signerKey = try SignerPrivateKey(hex: text, ed25519: ed25519)
        } catch {
            throw ValidationError("\(key): \(error)")
        }
        // The first request of each connection, before the registration, is the service's challenge.
        let registered = Mutex(false)
        let signer = CircleSigner(url: url, key: signerKey) { event in
            switch event {
            case .registered(let publicKey):
                registered.withLock { $0 = true }
                logger.debug("registered", metadata: ["signer": "\(publicKey)"])
                Self.say("registered as \(publicKey)")
            case .signed(let requestId, let message, let signature):
                guard registered.withLock({ $0 }) else { return Self.say("answered the challenge \(requestId)") }
                logger.debug("signed", metadata: ["request": "\(requestId)", "bytes": "\(message.count)"])
                Self.say("signed \(requestId): \(message.count) bytes \(Self.preview(message)) -> \(Hex.encode(signature))")
            case .serverError(let error):
                Self.say("service error: \(error)")
            }
        }
        let backoff = Backoff(initial: 1, multiplier: 2, maximum: 30, jitter: 0)
        var failures = 0
        while true {
            registered.withLock { $0 = false }
            do {
                try await signer.connect(timeout: timeout)
                failures = 0
                let (code, reason) = await signer.waitUntilClosed()
                logger.debug("connection closed", metadata: ["code": "\(code)", "reason": "\(reason)"])
                Self.say("connection closed (\(code)\(reason.isEmpty ? "" : ": \(reason)"))")
                if code == 4000 || code == WebSocketCloseCode.policyViolation { throw ExitCode(1) }
            } catch let error as CircleSignerError {
                Self.say("\(error)")
                if case .rejected = error { throw ExitCode(1) }
            }
            let delay = backoff.delay(attempt: failures, random: 0)
            failures += 1
            Self.say("reconnecting in \(Int(delay)) s")
            try await Task.sleep(for: .seconds(delay))
        }
    }

    /// The message as text when it is printable UTF-8, else its hex (at most 64 characters either way).
    private static func preview(_ message: [UInt8]) -> String {
        if let text = String(validating: message, as: UTF8.self), text.unicodeScalars.allSatisfy({ $0.value >= 0x20 || $0 == "\t" }) {
            let shown = text.count > 64 ? text.prefix(64) + "…" : Substring(text)
            return "\"\(shown)\""
        }
        let hex = Hex.encode(message.prefix(32))
        return message.count > 32 ? hex + "…" : hex
    }

    private static func say(_ line: String) {
        print(line)
        fflush(nil)
    }
}
