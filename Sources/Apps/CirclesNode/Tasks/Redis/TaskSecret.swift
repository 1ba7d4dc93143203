#if canImport(Glibc)
import Glibc
#endif
import CirclesCore

/// The secret a gateway and its workers share to sign tasks (SPEC section 5): from
/// `CIRCLES_TASK_SECRET` or a file only its owner may read (`--task-secret-file`), at least 16 bytes.
public struct TaskSecret: Sendable, Equatable {
    /// The environment variable that may hold the secret.
    package static let environmentName = "CIRCLES_TASK_SECRET"
    public static let minimumBytes = 16

    let bytes: [UInt8]

    public init(text: String) throws(TaskSecretError) {
        let trimmed = Array(text.utf8).drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        var bytes = Array(trimmed)
        while let last = bytes.last, last == 0x20 || last == 0x0A || last == 0x0D || last == 0x09 { bytes.removeLast() }
        guard bytes.count >= Self.minimumBytes else { throw .tooShort(bytes.count) }
        self.bytes = bytes
    }

    /// 32 random bytes as 64 hex characters.
    public static func generate() -> TaskSecret {
        // 64 hex characters always pass the length check.
        try! TaskSecret(text: RandomHex.make(words: 4))
    }

    /// The secret of `file` (when given; it must not be readable by group or others), else of
    /// `CIRCLES_TASK_SECRET` in `environment`; nil when neither is set.
    package static func load(file: String?, environment: [String: String]) throws(TaskSecretError) -> TaskSecret? {
        if let file { return try read(file) }
        if let text = environment[environmentName], !text.isEmpty { return try TaskSecret(text: text) }
        return nil
    }

    private static func read(_ path: String) throws(TaskSecretError) -> TaskSecret {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        guard status.st_mode & 0o077 == 0 else { throw .exposed(path, mode: Int(status.st_mode & 0o777)) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while bytes.count <= 4096 {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        guard bytes.count <= 4096 else { throw .unreadable(path, "longer than 4096 bytes") }
        return try TaskSecret(text: String(decoding: bytes, as: UTF8.self))
    }

    /// Writes the secret to a new file `path` with mode 0600.
    package func write(toFile path: String) throws(TaskSecretError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o600))
        guard fd >= 0 else { throw .unwritable(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw .unwritable(path, String(cString: strerror(errno))) }
            offset += count
        }
    }
}
