import CirclesCore
import Transport

extension CircleClient {
    /// Opens a new connection to the configured URL (over TLS for `wss://`), its events routed to this
    /// client.
    func dial() async throws(CircleClientError) -> Link {
        let id = state.withLock { state in
            state.nextLinkId += 1
            state.liveLinks.insert(state.nextLinkId)
            return state.nextLinkId
        }
        do {
            let connection = try await WebSocketClient.connect(to: configuration.url, configuration: configuration.webSocket, tls: configuration.tls,
                                                               timeout: configuration.connectTimeout, group: configuration.group) { [weak self] event in
                self?.handle(event, link: id)
            }
            return Link(id: id, connection: connection)
        } catch {
            state.withLock { _ = $0.liveLinks.remove(id) }
            throw Self.connectError(error, url: configuration.url)
        }
    }

    /// Makes `link` the current connection and wakes the calls waiting for one, unless `close()`
    /// came first or the link closed meanwhile (then it is closed and the error thrown).
    func publish(_ link: Link, epoch: Int, authenticatedAs key: CallerKey?) throws(CircleClientError) {
        let outcome = state.withLock { state -> Result<[LinkWaiter], CircleClientError> in
            guard state.epoch == epoch else {
                state.liveLinks.remove(link.id)
                return .failure(state.notConnectedError)
            }
            guard state.liveLinks.contains(link.id) else { return .failure(state.closedError(of: link.id)) }
            state.phase = .open(link)
            state.connections += 1
            state.authenticatedKey = key
            state.connectFailure = nil
            return .success(state.takeWaiters())
        }
        switch outcome {
        case .success(let waiters):
            for waiter in waiters { waiter.resume(.success(link)) }
        case .failure(let error):
            link.connection.close(code: WebSocketCloseCode.normal, reason: "")
            throw error
        }
    }

    /// Closes a link that will not become the current connection.
    func discard(_ link: Link) {
        state.withLock { _ = $0.liveLinks.remove(link.id) }
        link.connection.close(code: WebSocketCloseCode.normal, reason: "")
    }

    /// A connect of `epoch` failed: the client is idle again and the calls waiting for it fail too.
    func failConnecting(epoch: Int, with error: CircleClientError) {
        let waiters = state.withLock { state -> [LinkWaiter] in
            guard state.epoch == epoch, case .connecting = state.phase else { return [] }
            state.phase = .idle
            state.reconnectTask = nil
            state.connectFailure = error
            return state.takeWaiters()
        }
        for waiter in waiters { waiter.resume(.failure(error)) }
    }

    static func connectError(_ error: WebSocketClientError, url: String) -> CircleClientError {
        switch error {
        case .invalidURL: .invalidURL(url)
        case .handshakeRefused(404, _): .connectFailed("the node serves no circle at \(url) (HTTP 404)")
        case .timedOut: .connectFailed("no WebSocket handshake from \(url) in time")
        default: .connectFailed(error.description)
        }
    }
}
