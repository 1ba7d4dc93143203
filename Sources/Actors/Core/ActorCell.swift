/// Runs a behavior: one processing task that drains the mailbox in batches and handles each message in
/// turn, then the stop or failure path.
final class ActorCell<Behavior: ActorBehavior>: ActorCore<Behavior.Message>, @unchecked Sendable {
    typealias Message = Behavior.Message

    private let factory: @Sendable () -> Behavior
    /// `run(after:)`, captured where the cell is made: there the behavior's type is known, so the
    /// message loop is compiled for it (no generic-metadata lookups per message).
    private let process: @Sendable (ActorCell<Behavior>, (any Error)?) async -> Void

    init(id: UInt64, name: String?, mailbox: MailboxOptions, executor: (any TaskExecutor)?, system: ActorSystem,
         factory: @escaping @Sendable () -> Behavior) {
        self.factory = factory
        process = { cell, error in await cell.run(after: error) }
        super.init(id: id, name: name, mailbox: mailbox, executor: executor, system: system)
    }

    override func startRun(after error: (any Error)?) {
        let proceed = lifecycle.withLock { life -> Bool in
            guard life.status == .idle || life.status == .failed else { return false }
            life.status = .running
            if error != nil { life.restarts += 1 }
            return true
        }
        guard proceed else { return }
        let errorBox = error.map { ErrorBox($0) }
        Task(executorPreference: executor) { [process] in await process(self, errorBox?.error) }
    }

    override func requestStop() {
        let wasIdleOrFailed = lifecycle.withLock { life -> Bool in
            switch life.status {
            case .running:
                life.status = .stopping
                return false
            case .idle, .failed:
                life.status = .stopping
                return true
            case .stopping, .stopped:
                return false
            }
        }
        // Wake the loop so it sees the request; a loop that is not running is finished here.
        let left = mailbox.close()
        for envelope in left { envelope.reply?.failAsk(.actorStopped) }
        if wasIdleOrFailed { Task(executorPreference: executor) { await self.finish(.stopped, behavior: nil as Behavior?) } }
    }

    func run(after error: (any Error)?) async {
        let context = ActorContext<Message>(core: self)
        let behavior = factory()
        do {
            if let error { try await behavior.restarted(after: error, context: context) } else { try await behavior.started(context: context) }
        } catch {
            await fail(error, behavior: behavior)
            return
        }
        var batch: [Envelope<Message>] = []
        batch.reserveCapacity(256)
        let yields = executor == nil ? Mailbox<Envelope<Message>>.yieldsBeforeParking : 0
        while await mailbox.take(into: &batch, yields: yields) {
            var index = 0
            while index < batch.count {
                if stopRequested { break }
                let envelope = batch[index]
                index += 1
                mailbox.started()
                do {
                    try await behavior.receive(envelope.message, context: context)
                } catch {
                    envelope.reply?.failAsk(.actorFailed("\(error)"))
                    requeue(batch[index...])
                    await fail(error, behavior: behavior)
                    return
                }
            }
            if stopRequested {
                for envelope in batch[index...] {
                    mailbox.started()
                    envelope.reply?.failAsk(.actorStopped)
                }
                break
            }
            batch.removeAll(keepingCapacity: true)
        }
        await finish(.stopped, behavior: behavior)
    }

    private var stopRequested: Bool { lifecycle.withLock { $0.status == .stopping } }

    /// Messages taken in the batch but not handled go back to the front (in order) for the next run.
    private func requeue(_ rest: ArraySlice<Envelope<Message>>) {
        guard !rest.isEmpty else { return }
        mailbox.pushFront(Array(rest))
    }

    private func fail(_ error: any Error, behavior: Behavior) async {
        let supervised = lifecycle.withLock { $0.supervised }
        if supervised {
            let joiners = lifecycle.withLock { life in
                defer { life.joiners.removeAll() }
                life.status = .failed
                life.lastExit = .failed("\(error)")
                return life.joiners
            }
            for joiner in joiners { joiner.resume(returning: .failed("\(error)")) }
        } else {
            await finish(.failed("\(error)"), behavior: behavior)
        }
    }

    private func finish(_ exit: ActorExit, behavior: Behavior?) async {
        if let behavior { await behavior.stopped(context: ActorContext(core: self)) }
        let left = mailbox.close()
        for envelope in left { envelope.reply?.failAsk(.actorStopped) }
        // Children stop first: whoever joins this actor sees it stopped only once they all are.
        let children = lifecycle.withLock { life in
            defer { life.children.removeAll() }
            return life.children
        }
        for child in children {
            child.stop()
            _ = await child.join()
        }
        let (joiners, watchers) = lifecycle.withLock { life in
            defer {
                life.joiners.removeAll()
                life.watchers.removeAll()
            }
            life.status = .stopped
            life.lastExit = exit
            return (life.joiners, Array(life.watchers.values))
        }
        if let name { system.registry.remove(name, id: id) }
        for joiner in joiners { joiner.resume(returning: exit) }
        for watcher in watchers { watcher(exit) }
    }
}

private struct ErrorBox: @unchecked Sendable {
    let error: any Error
    init(_ error: any Error) { self.error = error }
}
