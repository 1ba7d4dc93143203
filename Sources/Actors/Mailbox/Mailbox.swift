import DequeModule
import Synchronization

/// A bounded multi-producer, single-consumer queue. The consumer drains in batches and parks only when
/// the queue is empty, so under load a message costs one lock acquisition and no wake-up.
final class Mailbox<Element: Sendable>: Sendable {
    struct State: ~Copyable {
        var queue = Deque<Element>()
        var receiver: CheckedContinuation<Void, Never>?
        var senders = Deque<CheckedContinuation<Bool, Never>>()
        var closed = false
    }

    /// How often an empty mailbox's consumer on the global pool yields before it parks. On a serial
    /// executor of its own (an event loop) it parks at once: a yield there only goes round the loop.
    static var yieldsBeforeParking: Int { 2 }

    let options: MailboxOptions
    let state = Mutex(State())
    /// Messages the consumer took in its current batch and has not started handling yet.
    private let inBatch = Atomic<Int>(0)

    init(options: MailboxOptions) { self.options = options }

    /// Messages waiting: queued, or taken in a batch but not started.
    var depth: Int { state.withLock { $0.queue.count } + inBatch.load(ordering: .relaxed) }

    /// The consumer starts handling one message of its batch.
    func started() { inBatch.subtract(1, ordering: .relaxed) }

    /// Enqueues without waiting; under `.suspend` a full mailbox answers `.full`.
    func offer(_ element: Element) -> DeliveryResult {
        let (result, wake): (DeliveryResult, CheckedContinuation<Void, Never>?) = state.withLock { state in
            if state.closed { return (.stopped, nil) }
            var result = DeliveryResult.enqueued
            if state.queue.count + inBatch.load(ordering: .relaxed) >= options.capacity {
                guard options.overflow == .dropOldest, !state.queue.isEmpty else { return (.full, nil) }
                state.queue.removeFirst()
                result = .enqueuedDroppingOldest
            }
            state.queue.append(element)
            let receiver = state.receiver
            state.receiver = nil
            return (result, receiver)
        }
        wake?.resume()
        return result
    }

    /// Enqueues, waiting for room when the policy is `.suspend`.
    func send(_ element: Element) async -> DeliveryResult {
        while true {
            let result = offer(element)
            guard result == .full, options.overflow == .suspend else { return result }
            let open = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate: Bool? = state.withLock { state in
                    if state.closed { return false }
                    if state.queue.count + inBatch.load(ordering: .relaxed) < options.capacity { return true }
                    state.senders.append(continuation)
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
            if !open { return .stopped }
        }
    }

    /// Moves up to `limit` messages into `batch`, waiting while there are none (after `yields` yields).
    /// False once closed and empty.
    func take(into batch: inout [Element], limit: Int = 256, yields: Int = Mailbox.yieldsBeforeParking) async -> Bool {
        var idleRounds = 0
        while true {
            let (taken, closed, freed) = state.withLock { state -> (Int, Bool, [CheckedContinuation<Bool, Never>]) in
                let count = min(limit, state.queue.count)
                for _ in 0..<count { batch.append(state.queue.removeFirst()) }
                inBatch.store(count, ordering: .relaxed)
                var freed: [CheckedContinuation<Bool, Never>] = []
                let room = options.capacity - count - state.queue.count
                while freed.count < room, let sender = state.senders.popFirst() { freed.append(sender) }
                return (count, state.closed, freed)
            }
            for sender in freed { sender.resume(returning: true) }
            if taken > 0 {
                idleRounds = 0
                return true
            }
            if closed { return false }
            // Before parking (and costing the next sender a wake-up), give producers a moment.
            if idleRounds < yields {
                idleRounds += 1
                await Task.yield()
                continue
            }
            idleRounds = 0
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if !state.queue.isEmpty || state.closed { return true }
                    state.receiver = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    /// Refuses new messages and returns the ones still waiting; parked senders get `.stopped`.
    func close() -> [Element] {
        let (left, senders, receiver) = state.withLock { state in
            state.closed = true
            defer {
                state.queue.removeAll()
                state.senders.removeAll()
                state.receiver = nil
            }
            return (Array(state.queue), Array(state.senders), state.receiver)
        }
        for sender in senders { sender.resume(returning: false) }
        receiver?.resume()
        return left
    }
}

extension Mailbox {
    /// Puts `elements` back at the front, in order (messages a failed run took but did not handle).
    func pushFront(_ elements: [Element]) {
        state.withLock { state in
            for element in elements.reversed() { state.queue.prepend(element) }
            inBatch.store(0, ordering: .relaxed)
        }
    }
}
