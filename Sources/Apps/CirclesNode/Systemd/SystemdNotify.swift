#if canImport(Glibc)
import Glibc
#endif

/// The sd_notify protocol without libsystemd: one datagram with `VAR=value` lines to the Unix socket
/// named by NOTIFY_SOCKET (a path, or `@name` in the abstract namespace). Under `Type=notify`, systemd
/// considers the service started when it receives `READY=1`.
package enum SystemdNotify {
    /// The socket systemd gave this process, or nil when not run by systemd with notify access.
    package static var socketPath: String? {
        guard let value = getenv("NOTIFY_SOCKET").map({ String(cString: $0) }), !value.isEmpty else { return nil }
        return value
    }

    /// Sends `state` (for example "READY=1") to NOTIFY_SOCKET; false when there is no socket or the send failed.
    @discardableResult
    package static func send(_ state: String) -> Bool {
        guard let path = socketPath, path.hasPrefix("/") || path.hasPrefix("@") else { return false }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (bytes[0] == 0 ? 0 : 1))
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                message.withUnsafeBytes { sendto(fd, $0.baseAddress, message.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL), address, length) }
            }
        }
        return sent == message.count
    }
}
