import CirclesCore
import Transport

extension CircleClient {
    /// An event of link `id`, on its loop thread.
    func handle(_ event: WebSocketEvent, link id: Int) {
        switch event {
        case .text(let text):
            guard let json = try? JSONParser.parse(text) else { return }
            if case .array(let replies) = json {
                replies.forEach(answer)
            } else {
                answer(json)
            }
        case .binary:
            break
        case .closed(let code, let reason):
            linkClosed(id, code: code, reason: reason)
        }
    }

    private func answer(_ json: JSON) {
        guard let response = RPCResponse(json: json), case .int(let id) = response.id,
            let call = state.withLock({ $0.calls.removeValue(forKey: id) })
        else { return }
        call.cancelTimer()
        call.continuation.resume(returning: response.outcome.mapError(CircleClientError.init))
    }

    /// The link's calls fail; when it was the current connection the client reconnects (when
    /// configured to, and unless the node refused our credentials) or becomes idle.
    private func linkClosed(_ id: Int, code: UInt16, reason: String) {
        let reconnect = configuration.reconnect != nil && code != WebSocketCloseCode.policyViolation
        let (calls, closeWaiters, reconnectEpoch) = state.withLock { state in
            state.liveLinks.remove(id)
            state.lastClose = (id, code, reason)
            var epoch: Int?
            if case .open(let link) = state.phase, link.id == id {
                state.authenticatedKey = nil
                if reconnect {
                    state.phase = .connecting
                    epoch = state.epoch
                } else {
                    state.phase = .idle
                }
            }
            return (state.takeCalls(on: id), state.closeWaiters.removeValue(forKey: id) ?? [], epoch)
        }
        for call in calls {
            call.cancelTimer()
            call.continuation.resume(returning: .failure(.connectionClosed(code: code, reason: reason)))
        }
        for waiter in closeWaiters { waiter.resume() }
        if let reconnectEpoch { startReconnecting(epoch: reconnectEpoch) }
    }
}
