import Actors

/// The node's nonce store as an actor: issue, consume (single use) and forget per connection, over a
/// bounded `NonceTable`.
package final class NonceStore: ActorBehavior {
    package enum Message: Sendable {
        case issue(pubkey: String, connection: UInt64, Reply<Result<NonceTable.Issued, NonceTable.Failure>>)
        case consume(pubkey: String, connection: UInt64, Reply<String?>)
        case forget(connection: UInt64)
        case count(Reply<Int>)
    }

    private var table: NonceTable
    private let clock: @Sendable () -> Double

    package init(table: NonceTable = NonceTable(), clock: @escaping @Sendable () -> Double = EmbeddedTaskQueue.wallClock) {
        self.table = table
        self.clock = clock
    }

    package func receive(_ message: Message, context: ActorContext<Message>) async throws {
        switch message {
        case .issue(let pubkey, let connection, let reply):
            do {
                reply.succeed(.success(try table.issue(pubkey: pubkey, connection: connection, now: clock())))
            } catch {
                reply.succeed(.failure(error))
            }
        case .consume(let pubkey, let connection, let reply):
            reply.succeed(table.consume(pubkey: pubkey, connection: connection, now: clock()))
        case .forget(let connection):
            table.removeConnection(connection)
        case .count(let reply):
            reply.succeed(table.count)
        }
    }
}
