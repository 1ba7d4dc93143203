import Threads

/// One Redis connection on the transport's event loops: a `TCPConnection` (TLS for `rediss://`)
/// whose handler parses replies with hiredis's reader on the loop thread. Commands from any task are
/// encoded at once and written in batches (pipelining); replies are matched to callers in order. A
/// blocking command (BLMOVE, BRPOP) just waits for its reply: no thread is held. When the server
/// goes away every waiting command fails with `.disconnected` and the connection is dead;
/// `RedisClient` makes new ones.
public final class RedisConnection: Sendable {
    public let url: RedisURL
    private let tcp: TCPConnection
    private let handler: RedisConnectionHandler

    private init(url: RedisURL, tcp: TCPConnection, handler: RedisConnectionHandler) {
        self.url = url
        self.tcp = tcp
        self.handler = handler
    }

    deinit { close() }

    /// Connects (without blocking any thread of the cooperative pool), authenticates and selects the
    /// database of `url`; both within `timeout` seconds. A `rediss://` URL connects with TLS, trusting
    /// what `tls` trusts (by default the system's CA store).
    public static func connect(_ url: RedisURL, timeout: Double = 2, tls: TLSClientContext? = nil,
                               group: EventLoopGroup = .shared) async throws(RedisError) -> RedisConnection {
        guard url.usesSentinel else { return try await open(url, timeout: timeout, tls: tls, group: group, checkRole: false) }
        let master = try await RedisSentinel.master(of: url, timeout: timeout, tls: tls, group: group)
        return try await open(master, timeout: timeout, tls: tls, group: group, checkRole: true)
    }

    private static func open(_ url: RedisURL, timeout: Double, tls: TLSClientContext?, group: EventLoopGroup,
                             checkRole: Bool) async throws(RedisError) -> RedisConnection {
        var context: TLSClientContext?
        if url.tls {
            do {
                context = try tls ?? TLSClientContext.system
            } catch {
                throw .connectFailed("\(error)")
            }
        }
        let tcp: TCPConnection
        do {
            tcp = try await TCPConnection.connect(host: url.host, port: url.port, timeout: timeout, tls: context, group: group)
        } catch {
            throw .connectFailed("\(error)")
        }
        var setup: [[String]] = []
        if let password = url.password { setup.append(url.username.map { ["AUTH", $0, password] } ?? ["AUTH", password]) }
        if url.database != 0 { setup.append(["SELECT", String(url.database)]) }
        if checkRole { setup.append(RedisSentinel.roleCommand) }
        let handler = RedisConnectionHandler()
        let needsSetup = !setup.isEmpty
        tcp.loop.execute {
            tcp.start(handler: handler)
            if needsSetup { handler.armDeadline(timeout, on: tcp) }
        }
        let connection = RedisConnection(url: url, tcp: tcp, handler: handler)
        guard needsSetup else { return connection }
        do throws(RedisError) {
            // AUTH and SELECT in one round trip.
            let replies = try await connection.pipeline(setup)
            for reply in replies {
                if case .error(let message) = reply { throw .server(message) }
            }
            if checkRole, let role = replies.last { try RedisSentinel.checkRole(role, at: url) }
        } catch {
            connection.close()
            if case .connectFailed(let reason) = error { throw .connectFailed("\(url): \(reason)") }
            throw .connectFailed("\(url): \(error)")
        }
        tcp.loop.execute { handler.disarmDeadline(on: tcp.loop) }
        return connection
    }

    /// The event loop the connection lives on.
    public var loop: EventLoop { tcp.loop }

    /// False once the connection failed or was closed.
    public var isAlive: Bool { handler.isOpen }

    /// Runs one command. An error reply throws `.server`.
    public func send(_ arguments: [String]) async throws(RedisError) -> RedisValue {
        try await send(bytes: arguments.map { Array($0.utf8) })
    }

    /// Runs one command with binary-safe arguments. An error reply throws `.server`.
    public func send(bytes arguments: [[UInt8]]) async throws(RedisError) -> RedisValue {
        var encoded: [UInt8] = []
        RESPEncoder.append(arguments, to: &encoded)
        let reply = try await submit(encoded, count: 1)[0]
        if case .error(let message) = reply { throw .server(message) }
        return reply
    }

    /// Writes all `commands` at once and returns their replies in order (error replies as values).
    public func pipeline(_ commands: [[String]]) async throws(RedisError) -> [RedisValue] {
        try await pipeline(bytes: commands.map { $0.map { Array($0.utf8) } })
    }

    /// The binary-safe form of `pipeline`.
    public func pipeline(bytes commands: [[[UInt8]]]) async throws(RedisError) -> [RedisValue] {
        guard !commands.isEmpty else { return [] }
        var encoded: [UInt8] = []
        for command in commands { RESPEncoder.append(command, to: &encoded) }
        return try await submit(encoded, count: commands.count)
    }

    /// Fails what is waiting with `.closed` and closes the connection; from any thread.
    public func close() {
        guard handler.end(.closed) else { return }
        let tcp = self.tcp
        tcp.loop.perform { tcp.closeNow() }
    }

    /// Writes `commands` together and calls `completion` with their replies (error replies as values).
    /// `completion` runs on the connection's loop (at once when the connection has ended): it must not
    /// block. No task is suspended or resumed, so a caller that only needs to react to the replies
    /// costs no trip through the cooperative pool.
    public func pipeline(_ commands: [[String]], completion: @escaping @Sendable (Result<[RedisValue], RedisError>) -> Void) {
        guard !commands.isEmpty else { return completion(.success([])) }
        var encoded: [UInt8] = []
        for command in commands { RESPEncoder.append(command.map { Array($0.utf8) }, to: &encoded) }
        submit(encoded, count: commands.count, completion: completion)
    }

    /// The blocking form of `pipeline`, for dedicated threads (a script worker waiting for its next
    /// task): the calling thread writes the commands itself when the loop is idle and sleeps until the
    /// loop hands it the replies. Never call it from an async context.
    public func pipelineBlocking(_ commands: [[String]]) throws(RedisError) -> [RedisValue] {
        let replies = OneShot<Result<[RedisValue], RedisError>>()
        pipeline(commands) { replies.fulfil($0) }
        return try replies.wait().get()
    }

    private func submit(_ encoded: [UInt8], count: Int) async throws(RedisError) -> [RedisValue] {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<[RedisValue], RedisError>, Never>) in
            submit(encoded, count: count) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    private func submit(_ encoded: [UInt8], count: Int, completion: @escaping RedisConnectionHandler.Completion) {
        let handler = self.handler, tcp = self.tcp
        let completion: RedisConnectionHandler.Completion = { result in
            // A replica or a master cut off from its replicas: this server is no longer the one to
            // talk to; the next connection asks the sentinels again.
            if case .success(let replies) = result, replies.contains(where: { if case .error(let m) = $0 { RedisSentinel.isFailoverError(m) } else { false } }),
               handler.end(.disconnected("the server answered as a replica or without its master")) {
                tcp.loop.perform { tcp.closeNow() }
            }
            completion(result)
        }
        switch handler.submit(encoded, RedisConnectionHandler.Waiter(expected: count, completion: completion)) {
        case .refused(let error):
            completion(.failure(error))
        case .queued(let flush):
            if flush { tcp.loop.perform { handler.flush(tcp) } }
        }
    }
}
