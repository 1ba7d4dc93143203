#if canImport(Glibc)
import Glibc
#endif
import CLinux
import DequeModule

/// One Redis connection with its own I/O thread (poll on the socket and an eventfd): commands from any
/// task are written in batches (pipelining) and replies are matched to callers in order. The
/// cooperative pool never blocks on it. When the server goes away every waiting command fails with
/// `.disconnected` and the connection is dead; `RedisClient` makes new ones.
///
/// `@unchecked Sendable`: `queue` and `closing` are guarded by `lock`; the socket, the reader and the
/// reply FIFO belong to the I/O thread alone.
public final class RedisConnection: @unchecked Sendable {
    typealias Completion = CheckedContinuation<Result<[RedisValue], RedisError>, Never>

    private struct Entry {
        var bytes: [UInt8]
        var expected: Int
        var completion: Completion
    }

    private struct Waiting {
        var expected: Int
        var replies: [RedisValue]
        var completion: Completion
    }

    public let url: RedisURL
    private let socket: Int32
    private let wakeFD: Int32
    private let lock = PThreadMutex()
    private var queue: [Entry] = []
    private var closing = false
    private var deadReason: String?

    private init(url: RedisURL, socket: Int32, wakeFD: Int32) {
        self.url = url
        self.socket = socket
        self.wakeFD = wakeFD
    }

    /// Connects (on a fresh thread, so the caller's pool is never blocked), authenticates and selects
    /// the database of `url`.
    public static func connect(_ url: RedisURL, timeout: Double = 2) async throws(RedisError) -> RedisConnection {
        let result: Result<Int32, RedisError> = await withCheckedContinuation { continuation in
            IOThread.start { continuation.resume(returning: SocketConnector.connect(host: url.host, port: url.port, timeout: timeout)) }
        }
        let socket = try result.get()
        let wake = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wake >= 0 else {
            Glibc.close(socket)
            throw .connectFailed("eventfd: errno \(errno)")
        }
        let connection = RedisConnection(url: url, socket: socket, wakeFD: wake)
        IOThread.start { connection.loop() }
        do {
            if let password = url.password {
                _ = try await connection.send(url.username.map { ["AUTH", $0, password] } ?? ["AUTH", password])
            }
            if url.database != 0 { _ = try await connection.send(["SELECT", String(url.database)]) }
        } catch {
            connection.close()
            throw .connectFailed("\(error)")
        }
        return connection
    }

    /// False once the connection failed or was closed.
    public var isAlive: Bool { lock.withLock { deadReason == nil && !closing } }

    /// Runs one command. An error reply throws `.server`.
    public func send(_ arguments: [String]) async throws(RedisError) -> RedisValue {
        try await send(bytes: arguments.map { Array($0.utf8) })
    }

    public func send(bytes arguments: [[UInt8]]) async throws(RedisError) -> RedisValue {
        let reply = try await pipeline(bytes: [arguments])[0]
        if case .error(let message) = reply { throw .server(message) }
        return reply
    }

    /// Writes all `commands` at once and returns their replies in order (error replies as values).
    public func pipeline(_ commands: [[String]]) async throws(RedisError) -> [RedisValue] {
        try await pipeline(bytes: commands.map { $0.map { Array($0.utf8) } })
    }

    public func pipeline(bytes commands: [[[UInt8]]]) async throws(RedisError) -> [RedisValue] {
        var bytes: [UInt8] = []
        for command in commands { RESPEncoder.append(command, to: &bytes) }
        let encoded = bytes
        let result = await withCheckedContinuation { (completion: Completion) in
            let (wake, refusal): (Bool, RedisError?) = lock.withLock {
                if closing { return (false, .closed) }
                if let deadReason { return (false, .disconnected(deadReason)) }
                queue.append(Entry(bytes: encoded, expected: commands.count, completion: completion))
                return (queue.count == 1, nil)
            }
            if let refusal {
                completion.resume(returning: .failure(refusal))
                return
            }
            if wake { signal() }
        }
        return try result.get()
    }

    /// Fails what is waiting with `.closed` and closes the socket.
    public func close() {
        let first = lock.withLock { () -> Bool in
            defer { closing = true }
            return !closing
        }
        if first { signal() }
    }

    private func signal() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }

    // MARK: I/O thread

    private func loop() {
        let reader = RESPReader()
        var waiting = Deque<Waiting>()
        var output: [UInt8] = []
        var written = 0
        var input = [UInt8](repeating: 0, count: 64 * 1024)
        var failure: RedisError?

        ioLoop: while true {
            let (entries, stop) = lock.withLock { () -> ([Entry], Bool) in
                defer { queue.removeAll(keepingCapacity: true) }
                return (queue, closing)
            }
            for entry in entries {
                output.append(contentsOf: entry.bytes)
                waiting.append(Waiting(expected: entry.expected, replies: [], completion: entry.completion))
            }
            if stop {
                failure = .closed
                break
            }
            while written < output.count {
                let count = output.withUnsafeBytes { Glibc.send(socket, $0.baseAddress! + written, $0.count - written, Int32(MSG_NOSIGNAL)) }
                if count > 0 {
                    written += count
                } else if count < 0, errno == EINTR {
                    continue
                } else if count < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                    break
                } else {
                    failure = .disconnected("write failed: \(String(cString: strerror(errno)))")
                    break ioLoop
                }
            }
            if written == output.count {
                output.removeAll(keepingCapacity: output.capacity <= 1 << 20)
                written = 0
            }
            var fds = [
                pollfd(fd: socket, events: Int16(POLLIN) | (written < output.count || !output.isEmpty ? Int16(POLLOUT) : 0), revents: 0),
                pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                failure = .disconnected("poll failed: errno \(errno)")
                break
            }
            if fds[1].revents != 0 {
                var value: UInt64 = 0
                _ = Glibc.read(wakeFD, &value, 8)
            }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                while true {
                    let count = input.withUnsafeMutableBytes { Glibc.recv(socket, $0.baseAddress!, $0.count, 0) }
                    if count > 0 {
                        do throws(RedisError) {
                            let fed: RedisError? = input.withUnsafeBytes { raw in
                                do throws(RedisError) {
                                    try reader.feed(UnsafeRawBufferPointer(rebasing: raw[..<count]))
                                    return nil
                                } catch {
                                    return error
                                }
                            }
                            if let fed { throw fed }
                            while let reply = try reader.next() {
                                guard !waiting.isEmpty else { throw .protocolError("reply without a command") }
                                waiting[0].replies.append(reply)
                                if waiting[0].replies.count == waiting[0].expected {
                                    let done = waiting.removeFirst()
                                    done.completion.resume(returning: .success(done.replies))
                                }
                            }
                        } catch {
                            failure = error
                            break ioLoop
                        }
                        if count < input.count { break }
                    } else if count == 0 {
                        failure = .disconnected("server closed the connection")
                        break ioLoop
                    } else if errno == EINTR {
                        continue
                    } else if errno == EAGAIN || errno == EWOULDBLOCK {
                        break
                    } else {
                        failure = .disconnected("read failed: \(String(cString: strerror(errno)))")
                        break ioLoop
                    }
                }
            }
        }
        let error = failure ?? .closed
        let leftovers = lock.withLock { () -> [Entry] in
            if case .disconnected(let reason) = error { deadReason = reason } else { deadReason = "\(error)" }
            closing = true
            defer { queue.removeAll() }
            return queue
        }
        Glibc.close(socket)
        Glibc.close(wakeFD)
        for entry in waiting { entry.completion.resume(returning: .failure(error)) }
        for entry in leftovers { entry.completion.resume(returning: .failure(error)) }
    }
}
