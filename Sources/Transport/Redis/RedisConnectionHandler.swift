import DequeModule
import Synchronization

/// The event-loop side of a `RedisConnection`. Commands submitted from any thread are appended,
/// already encoded, to one buffer; a single flush job per batch moves them to the loop, which writes
/// the whole batch at once (pipelining) and queues their waiters. Replies are parsed on the loop with
/// hiredis's reader and handed, in order, to the oldest waiter. When the connection ends, for
/// whatever reason, every waiter fails with the reason it ended.
///
/// `@unchecked Sendable`: `submissions` is guarded by its mutex; everything else is touched on the
/// connection's loop thread only.
final class RedisConnectionHandler: ConnectionHandler, @unchecked Sendable {
    typealias Completion = @Sendable (Result<[RedisValue], RedisError>) -> Void

    /// Commands written together, waiting for `expected` replies.
    struct Waiter {
        var expected: Int
        var completion: Completion
    }

    /// What `submit` did with a batch.
    enum Submission {
        /// Queued; the caller schedules a flush when `flush` is true (the first batch since the last flush).
        case queued(flush: Bool)
        /// The connection has ended: the waiter must fail with this error.
        case refused(RedisError)
    }

    private struct Submissions {
        var bytes: [UInt8] = []
        var waiters: [Waiter] = []
        var flushScheduled = false
        /// Why the connection ended; set once.
        var ended: RedisError?
    }

    private let submissions = Mutex(Submissions())
    // Loop thread only.
    private let reader = RESPReader()
    private var waiting = Deque<Waiter>()
    /// Replies so far for the oldest waiter of a pipeline.
    private var replies: [RedisValue] = []
    private var failure: RedisError?
    private var deadline: UInt64?

    /// False once the connection has ended or is ending; from any thread.
    var isOpen: Bool { submissions.withLock { $0.ended == nil } }

    /// Queues encoded commands and their waiter; from any thread.
    func submit(_ bytes: [UInt8], _ waiter: Waiter) -> Submission {
        submissions.withLock { state in
            if let ended = state.ended { return .refused(ended) }
            state.bytes.append(contentsOf: bytes)
            state.waiters.append(waiter)
            defer { state.flushScheduled = true }
            return .queued(flush: !state.flushScheduled)
        }
    }

    /// Marks the connection as ending with `error` (unless it already ended); true the first time.
    func end(_ error: RedisError) -> Bool {
        submissions.withLock { state in
            guard state.ended == nil else { return false }
            state.ended = error
            return true
        }
    }

    // MARK: Loop thread

    /// Writes everything submitted since the last flush in one go.
    func flush(_ connection: TCPConnection) {
        let (bytes, waiters, ended) = submissions.withLock { state in
            defer {
                state.flushScheduled = false
                state.bytes = []
                state.waiters = []
            }
            return (state.bytes, state.waiters, state.ended)
        }
        if let ended {
            for waiter in waiters { waiter.completion(.failure(ended)) }
            return
        }
        waiting.append(contentsOf: waiters)
        connection.write(bytes)
    }

    /// Ends the connection unless `disarmDeadline` is called within `seconds` (for AUTH and SELECT).
    func armDeadline(_ seconds: Double, on connection: TCPConnection) {
        deadline = connection.loop.schedule(after: seconds) { [self] in
            deadline = nil
            fail(.connectFailed("no reply within \(seconds) s"), connection)
        }
    }

    func disarmDeadline(on loop: EventLoop) {
        if let deadline { loop.cancelTimer(deadline) }
        deadline = nil
    }

    func received(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection) {
        do throws(RedisError) {
            try reader.feed(bytes)
            while let reply = try reader.next() {
                guard let oldest = waiting.first else { throw .protocolError("a reply without a command") }
                if oldest.expected == 1 {
                    waiting.removeFirst().completion(.success([reply]))
                    continue
                }
                if replies.isEmpty { replies.reserveCapacity(oldest.expected) }
                replies.append(reply)
                if replies.count == oldest.expected {
                    waiting.removeFirst().completion(.success(replies))
                    replies = []
                }
            }
        } catch {
            fail(error, connection)
        }
    }

    func inputEnded(_ connection: TCPConnection) {
        fail(.disconnected("the server closed the connection"), connection)
    }

    func closed(_ connection: TCPConnection) {
        disarmDeadline(on: connection.loop)
        let reason = failure ?? .disconnected("the connection was lost")
        let (error, leftovers) = submissions.withLock { state in
            if state.ended == nil { state.ended = reason }
            defer {
                state.bytes = []
                state.waiters = []
            }
            return (state.ended ?? reason, state.waiters)
        }
        let stranded = waiting
        waiting.removeAll()
        replies = []
        for waiter in stranded { waiter.completion(.failure(error)) }
        for waiter in leftovers { waiter.completion(.failure(error)) }
    }

    private func fail(_ error: RedisError, _ connection: TCPConnection) {
        if failure == nil { failure = error }
        connection.closeNow()
    }
}
