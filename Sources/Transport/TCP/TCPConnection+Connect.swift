import CLinux
#if canImport(Glibc)
import Glibc
import Threads
#endif

extension TCPConnection {
    /// Connects to `host:port` without blocking any thread of the cooperative pool: numeric hosts
    /// resolve at once, names on a thread of their own; the connect completes on an event loop.
    /// Tries each address in turn; fails after `timeout` seconds per address.
    ///
    /// With `tls`, the TLS handshake (with `serverName`, by default `host`, for SNI and the certificate
    /// check) is done when this returns; it has `timeout` seconds too, and a failure is thrown with
    /// its `TransportError.tls`.
    public static func connect(host: String, port: Int, timeout: Double = 10, tls: TLSClientContext? = nil, serverName: String? = nil,
                               group: EventLoopGroup = .shared) async throws(TransportError) -> TCPConnection {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let addresses = try await resolve(host: bare, port: port)
        var lastError = TransportError("connect \(host):\(port)", errno: 0, detail: "no address")
        for address in addresses {
            let loop = group.nextLoop()
            switch await attempt(address, loop: loop, timeout: timeout) {
            case .success(let fd):
                let connection = TCPConnection(fd: fd, loop: loop, peerHost: SocketAddress.host(of: address.storage))
                guard let tls else { return connection }
                try await connection.handshake(tls, serverName: serverName ?? bare, timeout: timeout)
                return connection
            case .failure(let error): lastError = TransportError("connect \(host):\(port)", errno: error.errno, detail: error.detail)
            }
        }
        throw lastError
    }

    /// Runs the client handshake on the loop thread (OpenSSL never runs on the caller's thread).
    private func handshake(_ context: TLSClientContext, serverName: String, timeout: Double) async throws(TransportError) {
        let failure = await withCheckedContinuation { (continuation: CheckedContinuation<TLSError?, Never>) in
            loop.execute { [self] in
                do throws(TLSError) {
                    let session = try TLSSession(client: context, host: serverName)
                    startClientTLS(session, timeout: timeout) { continuation.resume(returning: $0) }
                } catch {
                    closeNow()
                    continuation.resume(returning: error)
                }
            }
        }
        if let failure { throw TransportError("TLS handshake with \(serverName)", tls: failure) }
    }

    struct ResolvedAddress: @unchecked Sendable {
        var family: Int32
        var storage: sockaddr_storage
        var length: socklen_t
    }

    private static func resolve(host bare: String, port: Int) async throws(TransportError) -> [ResolvedAddress] {
        if case .success(let numeric) = lookup(bare, port: port, numeric: true) { return numeric }
        return try await DedicatedThread.run("dns") { lookup(bare, port: port, numeric: false) }.get()
    }

    static func lookup(_ host: String, port: Int, numeric: Bool) -> Result<[ResolvedAddress], TransportError> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        hints.ai_flags = AI_NUMERICSERV | (numeric ? AI_NUMERICHOST : 0)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0 else { return .failure(TransportError("resolve \(host)", errno: 0, detail: String(cString: gai_strerror(rc)))) }
        defer { freeaddrinfo(list) }
        var out: [ResolvedAddress] = []
        var cursor = list
        while let info = cursor {
            var storage = sockaddr_storage()
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: info.pointee.ai_addr, count: Int(info.pointee.ai_addrlen))) }
            out.append(ResolvedAddress(family: info.pointee.ai_family, storage: storage, length: info.pointee.ai_addrlen))
            cursor = info.pointee.ai_next
        }
        return .success(out)
    }

    private final class Pending: @unchecked Sendable {
        var continuation: CheckedContinuation<Result<Int32, TransportError>, Never>?
        var timer: UInt64?
    }

    private static func attempt(_ address: ResolvedAddress, loop: EventLoop, timeout: Double) async -> Result<Int32, TransportError> {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(TransportError("socket", errno: errno)) }
        var storage = address.storage
        let rc = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) } }
        if rc == 0 { return .success(fd) }
        guard errno == EINPROGRESS else {
            let code = errno
            Glibc.close(fd)
            return .failure(TransportError("connect", errno: code))
        }
        return await withCheckedContinuation { continuation in
            let pending = Pending()
            pending.continuation = continuation
            loop.execute {
                func finish(_ result: Result<Int32, TransportError>) {
                    guard let continuation = pending.continuation else { return }
                    pending.continuation = nil
                    if let timer = pending.timer { loop.cancelTimer(timer) }
                    loop.unregister(fd)
                    if case .failure = result { Glibc.close(fd) }
                    continuation.resume(returning: result)
                }
                loop.register(fd) { events in
                    guard events & (EPOLLOUT.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 else { return }
                    var error: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                    finish(error == 0 ? .success(fd) : .failure(TransportError("connect", errno: error)))
                }
                pending.timer = loop.schedule(after: timeout) {
                    pending.timer = nil
                    finish(.failure(TransportError("connect", errno: ETIMEDOUT, detail: "timed out after \(timeout) s")))
                }
            }
        }
    }
}
