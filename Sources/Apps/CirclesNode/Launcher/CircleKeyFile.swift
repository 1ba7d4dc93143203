#if canImport(Glibc)
import Glibc
#endif
import CirclesCore

/// A circle's private key kept as hex in a file of mode 0600.
enum CircleKeyFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func load(_ path: String) throws(Failure) -> PrivateKey {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path, limit: 4096)
        } catch {
            throw Failure(description: "cannot read \(path): \(error)")
        }
        let text = String(String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace })
        do {
            return try PrivateKey(hex: text.hasPrefix("0x") ? String(text.dropFirst(2)) : text)
        } catch {
            throw Failure(description: "\(path) does not hold a secp256k1 private key in hex: \(error)")
        }
    }

    /// Writes a new key; refuses to replace an existing file.
    static func create(_ path: String, key: PrivateKey) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let line = Array((key.hex + "\n").utf8)
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else { throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}
