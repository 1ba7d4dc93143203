#if canImport(Glibc)
import Glibc
#endif
import CLinux
import Threads

/// A `redis://` connection owned by one dedicated thread (a script worker) that does plain blocking
/// socket I/O: a reply wakes that thread directly, with no event loop in between, and BLMOVE holds
/// nothing but the thread that waits anyway. Never use it from an async context. A failure ends the
/// connection (`isAlive` turns false); the owner makes a new one.
///
/// `@unchecked Sendable`: used by one thread at a time; `close` may come from any thread.
public final class RedisBlockingConnection: @unchecked Sendable {
    public let url: RedisURL
    private let fd: Int32
    private let reader = RESPReader()
    private var failed = false
    private var buffer = [UInt8](repeating: 0, count: 16 * 1024)

    /// Connects within `timeout` seconds, then authenticates and selects the database of `url`. A
    /// reply that takes longer than `replyTimeout` seconds ends the connection (a silent server).
    public init(_ given: RedisURL, timeout: Double = 2, replyTimeout: Double = 30) throws(RedisError) {
        guard !given.tls else { throw .connectFailed("\(given): a blocking connection speaks plain redis:// only") }
        self.url = given
        let url = given.usesSentinel ? try RedisSentinel.masterBlocking(of: given, timeout: timeout) : given
        var lastError = "no address"
        var connected: Int32 = -1
        switch TCPConnection.lookup(url.host, port: url.port, numeric: false) {
        case .failure(let error):
            lastError = "\(error)"
        case .success(let addresses):
            for address in addresses {
                switch Self.connect(address, timeout: timeout) {
                case .success(let fd): connected = fd
                case .failure(.connectFailed(let reason)): lastError = reason
                case .failure(let error): lastError = "\(error)"
                }
                if connected >= 0 { break }
            }
        }
        guard connected >= 0 else { throw .connectFailed("\(url): \(lastError)") }
        fd = connected
        var seconds = timeval(tv_sec: Int(replyTimeout), tv_usec: Int((replyTimeout - replyTimeout.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        var setup: [[String]] = []
        if let password = url.password { setup.append(url.username.map { ["AUTH", $0, password] } ?? ["AUTH", password]) }
        if url.database != 0 { setup.append(["SELECT", String(url.database)]) }
        if given.usesSentinel { setup.append(RedisSentinel.roleCommand) }
        do throws(RedisError) {
            let replies = try pipeline(setup)
            for reply in replies {
                if case .error(let message) = reply { throw .server(message) }
            }
            if given.usesSentinel, let role = replies.last { try RedisSentinel.checkRole(role, at: url) }
        } catch {
            // self is complete here: deinit closes the socket (closing it here too would close a number
            // another thread may have been given in between).
            throw .connectFailed("\(url): \(error)")
        }
    }

    deinit {
        Glibc.close(fd)
    }

    /// False once a command failed on the connection or it was closed.
    public var isAlive: Bool { !failed }

    /// Writes all `commands` at once and reads their replies in order (error replies as values).
    public func pipeline(_ commands: [[String]]) throws(RedisError) -> [RedisValue] {
        guard !commands.isEmpty else { return [] }
        guard !failed else { throw .disconnected("the connection has failed before") }
        var encoded: [UInt8] = []
        for command in commands { RESPEncoder.append(command.map { Array($0.utf8) }, to: &encoded) }
        do throws(RedisError) {
            try write(encoded)
            var replies: [RedisValue] = []
            replies.reserveCapacity(commands.count)
            while replies.count < commands.count {
                if let reply = try reader.next() {
                    if case .error(let message) = reply, RedisSentinel.isFailoverError(message) { failed = true }
                    replies.append(reply)
                } else {
                    try read()
                }
            }
            return replies
        } catch {
            failed = true
            throw error
        }
    }

    /// Runs one command; an error reply throws `.server`.
    public func send(_ arguments: [String]) throws(RedisError) -> RedisValue {
        let reply = try pipeline([arguments])[0]
        if case .error(let message) = reply { throw .server(message) }
        return reply
    }

    /// Ends the connection; a call blocked on it (on another thread) fails at once.
    public func close() {
        failed = true
        shutdown(fd, Int32(SHUT_RDWR))
    }

    private func write(_ bytes: [UInt8]) throws(RedisError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                offset += count
            } else if count < 0, errno == EINTR {
                continue
            } else {
                throw .disconnected("send: \(String(cString: strerror(errno)))")
            }
        }
    }

    private func read() throws(RedisError) {
        while true {
            // Poll without blocking for `BusyPoll`'s window first: a reply that comes soon is read without a wake-up.
            var count = -1
            let polled = BusyPoll.poll {
                count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                return count >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
            }
            if !polled { count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) } }
            if count > 0 {
                let problem = buffer.withUnsafeBytes { bytes -> RedisError? in
                    do throws(RedisError) {
                        try reader.feed(UnsafeRawBufferPointer(rebasing: bytes[..<count]))
                        return nil
                    } catch {
                        return error
                    }
                }
                if let problem { throw problem }
                return
            }
            if count < 0, errno == EINTR { continue }
            if count == 0 { throw .disconnected("the server closed the connection") }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw .disconnected("no reply within the reply timeout") }
            throw .disconnected("recv: \(String(cString: strerror(errno)))")
        }
    }

    /// A connected blocking socket with TCP_NODELAY, or why not.
    private static func connect(_ address: TCPConnection.ResolvedAddress, timeout: Double) -> Result<Int32, RedisError> {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(.connectFailed("socket: \(String(cString: strerror(errno)))")) }
        var storage = address.storage
        let rc = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) } }
        if rc != 0 {
            guard errno == EINPROGRESS else {
                defer { Glibc.close(fd) }
                return .failure(.connectFailed("connect: \(String(cString: strerror(errno)))"))
            }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var problem: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            let ready = poll(&poller, 1, Int32(timeout * 1000))
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &problem, &length)
            guard ready == 1, problem == 0 else {
                Glibc.close(fd)
                return .failure(.connectFailed(ready == 0 ? "connect timed out after \(timeout) s" : "connect: \(String(cString: strerror(problem)))"))
            }
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~Int32(O_NONBLOCK))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return .success(fd)
    }
}
