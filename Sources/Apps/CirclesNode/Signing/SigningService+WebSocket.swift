import Transport

extension SigningService {
    /// Accepts a `/sign` connection: its events are pumped, in order, into the registry.
    func accept(_ socket: WebSocketConnection, host: String?) -> WebSocketAcceptance {
        let id = newConnectionId()
        let registry = self.registry
        let (events, feed) = AsyncStream<WebSocketEvent>.makeStream()
        Task {
            await registry.opened(id, socket: socket, host: host)
            for await event in events {
                switch event {
                case .text(let text): await registry.received(text, from: id)
                case .binary: await registry.receivedBinary(from: id)
                case .closed: await registry.closed(id)
                }
            }
        }
        return .accept { event in
            feed.yield(event)
            if case .closed = event { feed.finish() }
        }
    }
}
