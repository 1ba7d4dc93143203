import CLinux
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket (IPv4 or IPv6, port 0 for any free port) accepting on an event loop and
/// handing each new connection to `onAccept`, spread over the group's loops.
///
/// When `accept` fails for want of resources (EMFILE, ENFILE, ENOBUFS, ENOMEM) the connections wait
/// in the backlog and the listener tries again on a timer (`retryDelay`): with edge-triggered epoll no
/// new event would come for them until yet another connection arrived.
///
/// `@unchecked Sendable`: `retryTimer` is touched on the listener's loop only.
public final class TCPListener: @unchecked Sendable {
    public let port: Int
    public let host: String
    private let fd: Int32
    private let loop: EventLoop
    private let closed = Atomic<Bool>(false)
    private let onAcceptError: (@Sendable (Int32) -> Void)?
    private var retryTimer: UInt64?
    /// Seconds between accept attempts while the process is out of file descriptors.
    static let retryDelay = 0.05

    /// Binds and listens; `onAccept` runs on the new connection's loop.
    public init(host: String, port: Int, backlog: Int32 = 1024, group: EventLoopGroup = .shared,
                onAcceptError: (@Sendable (Int32) -> Void)? = nil,
                onAccept: @escaping @Sendable (TCPConnection) -> Void) throws(TransportError) {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &list)
        guard rc == 0, let info = list else {
            throw TransportError("resolve \(host)", errno: 0, detail: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(list) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TransportError("socket", errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TransportError("bind \(host):\(port)", errno: code)
        }
        guard listen(fd, backlog) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TransportError("listen", errno: code)
        }
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.port = Int(SocketAddress.port(of: address))
        self.host = host
        self.fd = fd
        self.onAcceptError = onAcceptError
        loop = group.nextLoop()
        loop.execute { [self] in
            loop.register(fd) { [self] _ in acceptAll(group: group, onAccept: onAccept) }
        }
    }

    private func acceptAll(group: EventLoopGroup, onAccept: @escaping @Sendable (TCPConnection) -> Void) {
        while true {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let client = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept4(fd, $0, &length, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)) }
            }
            guard client >= 0 else {
                let code = errno
                if code == EINTR || code == ECONNABORTED { continue }
                if code == EAGAIN || code == EWOULDBLOCK { return }
                onAcceptError?(code)
                if retryTimer == nil, !closed.load(ordering: .relaxed) {
                    retryTimer = loop.schedule(after: Self.retryDelay) { [self] in
                        retryTimer = nil
                        guard !closed.load(ordering: .relaxed) else { return }
                        acceptAll(group: group, onAccept: onAccept)
                    }
                }
                return
            }
            let peer = SocketAddress.host(of: address)
            let target = group.nextLoop()
            target.execute {
                onAccept(TCPConnection(fd: client, loop: target, peerHost: peer))
            }
        }
    }

    /// Stops accepting; established connections stay.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        loop.execute { [self] in
            if let retryTimer { loop.cancelTimer(retryTimer) }
            retryTimer = nil
            loop.unregister(fd)
            Glibc.close(fd)
        }
    }
}
