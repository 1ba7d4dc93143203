import CirclesCore

/// The mutable state of a `CircleClient`, guarded by its mutex.
struct ClientState {
    enum Phase {
        case idle
        /// `connect()` or a reconnect is opening a connection; calls wait for it.
        case connecting
        case open(Link)
    }

    var phase = Phase.idle
    /// Bumped by `close()`: connects and reconnects started before it drop what they open.
    var epoch = 0
    var nextLinkId = 0
    var nextCallId: Int64 = 0
    var nextWaiterId = 0
    /// Links whose connection is open: the current one and one being set up.
    var liveLinks: Set<Int> = []
    /// The last connection that closed, and how.
    var lastClose: (link: Int, code: UInt16, reason: String)?
    var calls: [Int64: PendingCall] = [:]
    var waiters: [Int: LinkWaiter] = [:]
    /// `close()` calls waiting for a link's close handshake.
    var closeWaiters: [Int: [CheckedContinuation<Void, Never>]] = [:]
    var authenticatedKey: CallerKey?
    /// Whether a reconnect authenticates again (`authenticate()` succeeded before).
    var reauthenticate = false
    var reconnectTask: Task<Void, Never>?
    /// Connections opened so far.
    var connections = 0
    /// `close()` was called and no `connect()` since.
    var closedByUser = false
    /// Why the last connect or reconnect gave up.
    var connectFailure: CircleClientError?

    mutating func takeWaiters() -> [LinkWaiter] {
        defer { waiters.removeAll() }
        return Array(waiters.values)
    }

    mutating func takeCalls(on link: Int? = nil) -> [PendingCall] {
        guard let link else {
            defer { calls.removeAll() }
            return Array(calls.values)
        }
        let ids = calls.compactMap { $0.value.link == link ? $0.key : nil }
        return ids.compactMap { calls.removeValue(forKey: $0) }
    }

    /// Why link `id` cannot carry a call: how it closed, when known.
    func closedError(of id: Int) -> CircleClientError {
        if let lastClose, lastClose.link == id { return .connectionClosed(code: lastClose.code, reason: lastClose.reason) }
        return .connectionClosed(code: 1006, reason: "connection lost")
    }

    /// Why there is no connection for a call: closed, a failed reconnect, the last drop, or never connected.
    var notConnectedError: CircleClientError {
        if closedByUser { return .closed }
        if let connectFailure { return connectFailure }
        if let lastClose { return .connectionClosed(code: lastClose.code, reason: lastClose.reason) }
        return .notConnected
    }
}
