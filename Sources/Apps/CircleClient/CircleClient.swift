import CirclesCore
import Synchronization
import Transport

/// A client of a circle node (SPEC sections 4 and 11): one WebSocket connection at a time, JSON-RPC
/// calls matched to their replies by id (any number of them concurrently), nonce authentication, and
/// opt-in automatic reconnection with re-authentication.
///
/// Safe to share between tasks. It never blocks a thread: replies are read on the connection's event
/// loop and resume the waiting calls from there.
///
/// ```swift
/// let client = try CircleClient.Builder(url: "ws://127.0.0.1:8080/\(circle)").keyPair(key).reconnect().build()
/// try await client.connect()
/// try await client.authenticate()
/// let result = try await client.play(#"print("hi"); 40 + 2"#)   // output "42", logs ["hi"]
/// await client.close()
/// ```
///
/// A call that is in flight when the connection drops fails with `connectionClosed` (the node may or
/// may not have run it); calls made while the client reconnects wait for the new connection.
public final class CircleClient: Sendable {
    public let configuration: CircleClientConfiguration
    let state = Mutex(ClientState())

    init(configuration: CircleClientConfiguration) {
        self.configuration = configuration
    }

    deinit {
        let link = state.withLock { state -> Link? in
            if case .open(let link) = state.phase { return link }
            return nil
        }
        link?.connection.close(code: WebSocketCloseCode.goingAway, reason: "client released")
    }

    // MARK: State

    /// Whether a connection is open.
    public var isConnected: Bool {
        state.withLock { state in
            if case .open = state.phase { return true }
            return false
        }
    }

    /// The key this connection authenticated as, nil before `authenticate()` (and after a drop until
    /// the reconnect authenticated again).
    public var authenticatedKey: CallerKey? { state.withLock { $0.authenticatedKey } }

    /// Connections opened so far: 1 after `connect()`, one more for each reconnect.
    public var connectionCount: Int { state.withLock { $0.connections } }

    /// The public key of the configured key pair.
    public var publicKey: CallerKey? { configuration.callerKey?.publicKey }

    /// The event loop of the open connection. A task that prefers it (`Task(executorPreference:)`)
    /// gets its replies without a thread switch: they arrive on that loop.
    public var loop: EventLoop? {
        state.withLock { state in
            if case .open(let link) = state.phase { return link.loop }
            return nil
        }
    }

    // MARK: API

    /// Opens the connection; returns at once when it is open, and joins a connect already under way.
    public func connect() async throws(CircleClientError) {
        enum Step { case done, join, dial(epoch: Int) }
        let step = state.withLock { state -> Step in
            switch state.phase {
            case .open: return .done
            case .connecting: return .join
            case .idle:
                state.phase = .connecting
                state.closedByUser = false
                state.connectFailure = nil
                state.lastClose = nil
                return .dial(epoch: state.epoch)
            }
        }
        switch step {
        case .done:
            return
        case .join:
            _ = try await currentLink(for: "connect", seconds: configuration.connectTimeout + configuration.timeout)
        case .dial(let epoch):
            do {
                let link = try await dial()
                try publish(link, epoch: epoch, authenticatedAs: nil)
            } catch {
                failConnecting(epoch: epoch, with: error)
                throw error
            }
        }
    }

    /// Proves the configured key's identity: `fetch_nonce`, sign the bound message (SPEC 3.1: this
    /// node's host, this circle, the nonce) in the configured scheme, `authenticate`. A nonce that is not
    /// 64 lowercase hex characters is not signed. Reconnects authenticate again from then on. Returns
    /// the key's public key.
    @discardableResult
    public func authenticate() async throws(CircleClientError) -> CallerKey {
        guard let key = configuration.callerKey else { throw .missingKey }
        let link = try await currentLink(for: "authenticate", seconds: configuration.timeout)
        try await authenticate(key, on: link)
        state.withLock { state in
            state.reauthenticate = true
            if case .open(let current) = state.phase, current.id == link.id { state.authenticatedKey = key.publicKey }
        }
        return key.publicKey
    }

    /// Runs `script` in the circle's context; returns its final value as a string and what it printed.
    /// `timeout` (seconds) overrides the configured one for this call.
    public func play(_ script: String, timeout: Double? = nil) async throws(CircleClientError) -> PlayResult {
        let result = try await call("play", ["script": .string(script)], on: nil, timeout: timeout)
        guard let output = result["output"]?.stringValue else { throw .invalidResponse("play answered \(result.serialized)") }
        return PlayResult(output: output, logs: result["logs"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    /// Asks for a nonce bound to `publicKey` (default: the configured key) and this connection.
    public func fetchNonce(for publicKey: CallerKey? = nil) async throws(CircleClientError) -> IssuedNonce {
        let claimed: String
        if let publicKey {
            claimed = publicKey.hex
        } else if let key = configuration.callerKey {
            claimed = claimedKey(key)
        } else {
            throw .missingKey
        }
        return try await fetchNonce(claimed, on: nil)
    }

    /// The node's view of this connection: the circle, and who is authenticated.
    public func whoami() async throws(CircleClientError) -> WhoAmI {
        let result = try await call("whoami", [:], on: nil, timeout: nil)
        guard let circle = result["circle"]?.stringValue, let authenticated = result["authenticated"]?.boolValue else {
            throw .invalidResponse("whoami answered \(result.serialized)")
        }
        return WhoAmI(circle: circle, pubkey: result["pubkey"]?.stringValue, authenticated: authenticated)
    }

    /// Calls any method with named params and returns its raw result (`rpc.discover`, extensions).
    public func call(_ method: String, params: JSONObject = [:], timeout: Double? = nil) async throws(CircleClientError) -> JSON {
        try await call(method, params, on: nil, timeout: timeout)
    }

    /// Closes the connection (close code 1000) and stops reconnecting; calls still waiting fail with
    /// `closed`. Returns once the close handshake is over. `connect()` may open the client again.
    public func close() async {
        let (link, calls, waiters, task) = state.withLock { state in
            state.epoch += 1
            state.closedByUser = true
            state.connectFailure = nil
            state.reauthenticate = false
            state.authenticatedKey = nil
            state.lastClose = nil
            let task = state.reconnectTask
            state.reconnectTask = nil
            var link: Link?
            if case .open(let open) = state.phase { link = open }
            state.phase = .idle
            return (link, state.takeCalls(), state.takeWaiters(), task)
        }
        task?.cancel()
        for call in calls {
            call.cancelTimer()
            call.continuation.resume(returning: .failure(.closed))
        }
        for waiter in waiters { waiter.resume(.failure(.closed)) }
        guard let link else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiting = state.withLock { state -> Bool in
                guard state.liveLinks.contains(link.id) else { return false }
                state.closeWaiters[link.id, default: []].append(continuation)
                return true
            }
            if waiting {
                link.connection.close(code: WebSocketCloseCode.normal, reason: "")
            } else {
                continuation.resume()
            }
        }
    }
}
