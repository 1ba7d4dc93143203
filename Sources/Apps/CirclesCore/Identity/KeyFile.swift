#if canImport(Glibc)
import Glibc
#endif

/// Reading and writing key files: the secret's hex and a newline, mode 0600.
enum KeyFile {
    /// The file's text with surrounding whitespace removed (at most 4 KiB are read); a file its group or
    /// others may read or write is refused.
    static func read(_ path: String) throws(KeyFileError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path: path, reason: reason(errno)) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw .unreadable(path: path, reason: reason(errno)) }
        // A private key others may read is no longer private: refuse it rather than use it.
        guard status.st_mode & 0o077 == 0 else { throw .exposed(path: path, mode: Int(status.st_mode & 0o777)) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 512)
        while bytes.count <= 4096 {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw .unreadable(path: path, reason: reason(errno)) }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
    }

    /// Writes `hex` and a newline to `path` with mode 0600; refuses to replace an existing file unless
    /// `overwrite`.
    static func write(hex: String, to path: String, overwrite: Bool) throws(KeyFileError) {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL)
        let fd = open(path, flags, mode_t(0o600))
        guard fd >= 0 else {
            if errno == EEXIST { throw .exists(path: path) }
            throw .unwritable(path: path, reason: reason(errno))
        }
        defer { close(fd) }
        guard fchmod(fd, mode_t(0o600)) == 0 else { throw .unwritable(path: path, reason: reason(errno)) }
        let bytes = Array((hex + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw .unwritable(path: path, reason: reason(errno)) }
            offset += count
        }
        guard fsync(fd) == 0 else { throw .unwritable(path: path, reason: reason(errno)) }
    }

    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
