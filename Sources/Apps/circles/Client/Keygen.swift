import ArgumentParser
import CircleClient
import CirclesCore
import Foundation

/// `circles keygen [--ed25519] [--out FILE [--force]] | --show FILE`: secp256k1 key pairs for callers and
/// circles, Ed25519 key pairs for callers and signers.
struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a secp256k1 (or Ed25519) key pair, or show the public key of a key file.",
        discussion: """
            With --out, the private key (64 hex characters and a newline) is written to FILE with mode 0600 and \
            the public key is printed: its compressed form, 66 hex characters, which is also a circle's id. \
            Without --out, both are printed: the private key on the first line, the public key on the second. \
            With --show, nothing is generated: the public key of an existing key file is printed. \
            With --ed25519 the key is an Ed25519 key (for callers and signers, not circles): the file holds \
            "ed25519:" and its 32-byte seed in hex, and the public key printed is 64 hex characters; --show, \
            `circles play` and `circles signer` recognise such a file by its prefix. \
            Exit code 0 on success, 1 when the --out file cannot be written, 2 on bad usage or when the --show \
            file cannot be read.

            Examples:
              circles keygen --out me.key
              circles keygen --show me.key
              circles keygen --ed25519 --out ed.key
            """
    )

    @Option(help: "Write the private key to this file (mode 0600).") var out: String?
    @Flag(help: "Replace the --out file when it exists.") var force = false
    @Option(help: "Print the public key of this existing key file instead.") var show: String?
    @Flag(help: "An Ed25519 key rather than secp256k1.") var ed25519 = false

    func validate() throws {
        if show != nil, out != nil { throw ValidationError("give either --out or --show, not both") }
        if force, out == nil { throw ValidationError("--force only applies to --out") }
    }

    func run() throws {
        if let show {
            do {
                print(try CallerPrivateKey(contentsOfFile: show, ed25519: ed25519).publicKey.hex)
                return
            } catch {
                FileHandle.standardError.write(Data("circles keygen: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
        do {
            let key: CallerPrivateKey = ed25519 ? .ed25519(Ed25519PrivateKey()) : .secp256k1(PrivateKey())
            if let out {
                try key.write(toFile: out, overwrite: force)
            } else {
                print(key.fileText)
            }
            print(key.publicKey.hex)
        } catch {
            FileHandle.standardError.write(Data("circles keygen: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
