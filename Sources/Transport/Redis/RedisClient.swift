import Synchronization
import Threads

/// A small bounded pool of pipelined Redis connections, shared by any number of concurrent callers.
/// A dead connection is replaced on next use; while the server is unreachable, calls fail fast with
/// `.unavailable` instead of hanging, retrying the connect at most once per backoff period
/// (doubling from 50 ms up to 2 s, reset after a success).
public final class RedisClient: Sendable {
    private enum PooledConnection {
        case empty
        case connected(RedisConnection)
        case connecting(Task<Result<RedisConnection, RedisError>, Never>)
        case failed(until: Double, RedisError)
    }

    private struct State {
        var pool: [PooledConnection]
        var next = 0
        var failures = 0
        var closed = false
    }

    public let url: RedisURL
    public let connectTimeout: Double
    /// What a `rediss://` server's certificate is checked against (nil: the system's CA store).
    public let tls: TLSClientContext?
    private let group: EventLoopGroup
    private let state: Mutex<State>

    /// A pool of `connections` connections to `url`, made on first use on the loops of `group`.
    public init(url: RedisURL, connections: Int = 4, connectTimeout: Double = 1, tls: TLSClientContext? = nil,
                group: EventLoopGroup = .shared) {
        self.url = url
        self.connectTimeout = connectTimeout
        self.tls = tls
        self.group = group
        state = Mutex(State(pool: Array(repeating: .empty, count: max(1, connections))))
    }

    /// A pool for a `redis://` or `rediss://` URL.
    public convenience init(_ url: String, connections: Int = 4, tls: TLSClientContext? = nil) throws(RedisError) {
        self.init(url: try RedisURL(url), connections: connections, tls: tls)
    }

    /// Runs one command on a pooled connection; an error reply throws `.server`.
    public func send(_ arguments: [String]) async throws(RedisError) -> RedisValue {
        try await connection().send(arguments)
    }

    /// Runs one command with binary-safe arguments on a pooled connection.
    public func send(bytes arguments: [[UInt8]]) async throws(RedisError) -> RedisValue {
        try await connection().send(bytes: arguments)
    }

    /// Sends `commands` together on one connection; replies in order, error replies as values.
    public func pipeline(_ commands: [[String]]) async throws(RedisError) -> [RedisValue] {
        try await connection().pipeline(commands)
    }

    /// The callback form of `pipeline` (see `RedisConnection.pipeline(_:completion:)`): on a pooled
    /// connection that is up, without suspending anything (one on the caller's own event loop when
    /// there is one, so that the commands leave at once); otherwise through a task that connects first.
    public func pipeline(_ commands: [[String]], completion: @escaping @Sendable (Result<[RedisValue], RedisError>) -> Void) {
        let ready: RedisConnection? = state.withLock { state in
            guard !state.closed else { return nil }
            for pooled in state.pool {
                if case .connected(let connection) = pooled, connection.isAlive, connection.loop.inLoop { return connection }
            }
            let index = state.next
            guard case .connected(let connection) = state.pool[index], connection.isAlive else { return nil }
            state.next = (state.next + 1) % state.pool.count
            return connection
        }
        if let ready { return ready.pipeline(commands, completion: completion) }
        Task {
            do throws(RedisError) {
                completion(.success(try await pipeline(commands)))
            } catch {
                completion(.failure(error))
            }
        }
    }

    /// A new connection outside the pool, for blocking commands such as BLMOVE; the caller closes it.
    /// With `loop`, the connection lives on that loop (its replies are handled there).
    public func dedicated(on loop: EventLoop? = nil) async throws(RedisError) -> RedisConnection {
        try await RedisConnection.connect(url, timeout: connectTimeout, tls: tls, group: loop.map { EventLoopGroup([$0]) } ?? group)
    }

    /// The loops this client's connections live on.
    public var loops: [EventLoop] { group.loops }

    /// True when some pooled connection is up.
    public var isConnected: Bool {
        state.withLock { state in
            state.pool.contains { if case .connected(let c) = $0 { return c.isAlive } else { return false } }
        }
    }

    /// Closes the pooled connections; later calls fail with `.closed`.
    public func close() {
        let connections: [RedisConnection] = state.withLock { state in
            state.closed = true
            defer { state.pool = state.pool.map { _ in .empty } }
            return state.pool.compactMap { if case .connected(let c) = $0 { return c } else { return nil } }
        }
        for connection in connections { connection.close() }
    }

    private func connection() async throws(RedisError) -> RedisConnection {
        enum Step {
            case ready(RedisConnection)
            case wait(Task<Result<RedisConnection, RedisError>, Never>, Int)
            case fail(RedisError)
        }
        let now = SystemTime.monotonic()
        let url = self.url, timeout = connectTimeout, tls = self.tls, group = self.group
        let step: Step = state.withLock { state in
            if state.closed { return .fail(.closed) }
            let index = state.next
            state.next = (state.next + 1) % state.pool.count
            switch state.pool[index] {
            case .connected(let connection) where connection.isAlive:
                return .ready(connection)
            case .connecting(let task):
                return .wait(task, index)
            case .failed(let until, let error) where now < until:
                return .fail(.unavailable("\(error)"))
            default:
                let task = Task { await Self.attempt(url, timeout: timeout, tls: tls, group: group) }
                state.pool[index] = .connecting(task)
                return .wait(task, index)
            }
        }
        switch step {
        case .ready(let connection): return connection
        case .fail(let error): throw error
        case .wait(let task, let index):
            let result = await task.value
            state.withLock { state in
                guard case .connecting = state.pool[index], !state.closed else { return }
                switch result {
                case .success(let connection):
                    state.pool[index] = .connected(connection)
                    state.failures = 0
                    // The server is back: the other pooled connections may try again at once.
                    for other in state.pool.indices {
                        if case .failed = state.pool[other] { state.pool[other] = .empty }
                    }
                case .failure(let error):
                    state.pool[index] = .failed(until: SystemTime.monotonic() + Backoff.reconnect.delay(attempt: state.failures, random: 0), error)
                    state.failures += 1
                }
            }
            return try result.get()
        }
    }

    private static func attempt(_ url: RedisURL, timeout: Double, tls: TLSClientContext?,
                                group: EventLoopGroup) async -> Result<RedisConnection, RedisError> {
        do {
            return .success(try await RedisConnection.connect(url, timeout: timeout, tls: tls, group: group))
        } catch {
            return .failure(error)
        }
    }
}
