import Threads
import Actors
import CirclesCore
import Logging
import Transport

/// The signing service spread over the nodes that share one Redis (SPEC 10 across nodes): a signer
/// registered on any node answers `sendToSign` on any node.
///
/// - The directory: `rhailib:signers:{key hex}` holds the id of the node the key is registered on,
///   with a TTL (`SigningConfiguration.clusterTTL`) the owner refreshes every third of it, so the keys
///   of a node that died vanish within one TTL.
/// - Each node reads its inbox list `rhailib:signing:{node}` with BRPOP on a connection of its own. A
///   node without the signer locally looks the key up and pushes a request to the owner's inbox; the
///   owner asks its signer and pushes the answer (or the error) back; the asking node verifies it.
/// - A registration writes the directory with `SET … GET`: the previous owner, when another node, is
///   told to evict; it closes its connection with 4000 once the directory no longer names it (the
///   heartbeat does the same when it finds the key taken). The last write in Redis is the newest.
actor SigningCluster {
    /// What the registry tells the directory, and evictions from other nodes, applied in order.
    enum Change: Sendable {
        case claim(SignerKey)
        case release(SignerKey)
        case evicted(SignerKey)
    }

    static let inboxPrefix = "rhailib:signing:"
    static let directoryPrefix = "rhailib:signers:"
    /// Seconds an inbox nobody reads lives on (a dead node's).
    static let inboxTTL = 60
    /// Forwarded requests one node may wait on at once.
    static let maxForwarded = 10_000
    /// Requests from other nodes one node serves at once.
    static let maxServed = 10_000

    nonisolated let nodeId: String
    nonisolated let changes: AsyncStream<Change>.Continuation
    private let changeStream: AsyncStream<Change>
    private let redis: RedisClient
    private let secret: TaskSecret?
    private let registry: SigningRegistry
    private let ttl: Double
    private let logger: Logger
    private var waiting: [String: (continuation: CheckedContinuation<Result<[UInt8], SigningError>, Never>, timer: Task<Void, Never>)] = [:]
    private var served = 0
    private var loops: [Task<Void, Never>] = []
    private var inbox: RedisConnection?
    private var stopped = false

    init(redis: RedisClient, secret: TaskSecret?, registry: SigningRegistry, ttl: Double, nodeId: String, logger: Logger) {
        self.redis = redis
        self.secret = secret
        self.registry = registry
        self.ttl = max(ttl, 0.3)
        self.nodeId = nodeId
        self.logger = logger
        (changeStream, changes) = AsyncStream.makeStream(of: Change.self)
    }

    nonisolated var inboxKey: String { Self.inboxPrefix + nodeId }

    static func directoryKey(_ key: SignerKey) -> String { directoryPrefix + key.description }

    func start() {
        guard loops.isEmpty, !stopped else { return }
        let stream = changeStream
        loops.append(Task { for await change in stream { await self.apply(change) } })
        loops.append(Task { await self.heartbeat() })
        loops.append(Task { await self.readInbox() })
    }

    /// Stops the loops and removes this node's directory entries.
    func stop() async {
        stopped = true
        changes.finish()
        for loop in loops { loop.cancel() }
        inbox?.close()
        loops = []
        for key in await registry.registeredKeys() {
            _ = try? await redis.send(["EVAL", Self.releaseScript, "1", Self.directoryKey(key), nodeId])
        }
        for id in Array(waiting.keys) { finish(id, with: .failure(.channelClosed)) }
    }

    // MARK: Directory

    private static let releaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
    /// 1: the key is (again) this node's, TTL renewed; 0: another node holds it.
    private static let refreshScript = """
        local v = redis.call('GET', KEYS[1])
        if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
        if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
        return 0
        """

    private var ttlMilliseconds: String { String(Int(ttl * 1000)) }

    private func apply(_ change: Change) async {
        do throws(RedisError) {
            switch change {
            case .claim(let key):
                let previous = try await redis.send(["SET", Self.directoryKey(key), nodeId, "PX", ttlMilliseconds, "GET"]).string
                if let previous, previous != nodeId, Self.isNodeId(previous) {
                    logger.info("signer \(key) registered here replaces its registration on node \(previous)")
                    try await push(.evict(key: key), to: Self.inboxPrefix + previous)
                }
            case .release(let key):
                _ = try await redis.send(["EVAL", Self.releaseScript, "1", Self.directoryKey(key), nodeId])
            case .evicted(let key):
                let owner = try await redis.send(["GET", Self.directoryKey(key)]).string
                if owner != nodeId { await registry.evict(key) }
            }
        } catch {
            logger.warning("signing cluster: \(change) not applied: \(error)")
        }
    }

    private func heartbeat() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: .seconds(ttl / 3)) } catch { return }
            for key in await registry.registeredKeys() {
                do throws(RedisError) {
                    let mine = try await redis.send(["EVAL", Self.refreshScript, "1", Self.directoryKey(key), nodeId, ttlMilliseconds])
                    if mine.integer == 0 { changes.yield(.evicted(key)) }
                } catch {
                    logger.warning("signing cluster: cannot refresh \(key): \(error)")
                }
            }
        }
    }

    private static func isNodeId(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    // MARK: Inbox

    private func readInbox() async {
        var failures = 0
        while !Task.isCancelled {
            let connection: RedisConnection
            do throws(RedisError) {
                connection = try await redis.dedicated()
            } catch {
                logger.warning("signing cluster: inbox connection: \(error)")
                do { try await Task.sleep(for: .seconds(Backoff.reconnect.delay(attempt: failures, random: 0))) } catch { return }
                failures += 1
                continue
            }
            if stopped { connection.close(); return }
            inbox = connection
            failures = 0
            while !Task.isCancelled, connection.isAlive {
                do throws(RedisError) {
                    let reply = try await connection.send(["BRPOP", inboxKey, "1"])
                    if let pair = reply.array, pair.count == 2, let text = pair[1].string { received(text) }
                } catch {
                    if !stopped { logger.warning("signing cluster: inbox: \(error)") }
                    break
                }
            }
            connection.close()
        }
    }

    private func received(_ text: String) {
        guard let message = SigningBusMessage.decode(text, secret: secret) else {
            logger.warning("signing cluster: dropped a malformed or unauthenticated message from \(inboxKey)")
            return
        }
        switch message {
        case .request(let id, let key, let bytes, let timeout, let replyTo):
            guard served < Self.maxServed else {
                Task { try? await self.push(.answer(id: id, outcome: .failure(.signerBusy)), to: replyTo) }
                return
            }
            served += 1
            let registry = self.registry
            Task {
                let outcome = await registry.request(key: key, message: bytes, timeout: timeout)
                await self.reply(id: id, outcome: outcome, replyTo: replyTo)
            }
        case .answer(let id, let outcome):
            finish(id, with: outcome)
        case .evict(let key):
            changes.yield(.evicted(key))
        }
    }

    private func reply(id: String, outcome: Result<[UInt8], SigningError>, replyTo: String) async {
        served -= 1
        do throws(RedisError) {
            try await push(.answer(id: id, outcome: outcome), to: replyTo)
        } catch {
            logger.warning("signing cluster: answer to \(replyTo) lost: \(error)")
        }
    }

    private func push(_ message: SigningBusMessage, to list: String) async throws(RedisError) {
        let replies = try await redis.pipeline([["LPUSH", list, message.encoded(secret: secret)], ["EXPIRE", list, String(Self.inboxTTL)]])
        if case .error(let text) = replies[0] { throw .server(text) }
    }

    // MARK: Forwarding

    /// Asks the node `key` is registered on (per the directory) for a signature of `message`; the
    /// answer is not verified yet. `.connectionNotFound` when no other node has the key.
    func forward(key: SignerKey, message: [UInt8], timeout: Double) async -> Result<[UInt8], SigningError> {
        let owner: String?
        do throws(RedisError) {
            owner = try await redis.send(["GET", Self.directoryKey(key)]).string
        } catch {
            logger.warning("signing cluster: directory lookup failed: \(error)")
            return .failure(.connectionNotFound)
        }
        guard let owner, owner != nodeId, Self.isNodeId(owner) else { return .failure(.connectionNotFound) }
        guard waiting.count < Self.maxForwarded else { return .failure(.signerBusy) }
        let id = RandomHex.make(words: 2)
        let request = SigningBusMessage.request(id: id, key: key, message: message, timeout: timeout, replyTo: inboxKey)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard !Task.isCancelled else { return continuation.resume(returning: .failure(.cancelled)) }
                // The owner times out first and says so; this timer covers an owner that died.
                let timer = Task {
                    do { try await Task.sleep(for: .seconds(timeout + 2)) } catch { return }
                    self.finish(id, with: .failure(.timeout))
                }
                waiting[id] = (continuation, timer)
                Task {
                    do throws(RedisError) {
                        try await self.push(request, to: Self.inboxPrefix + owner)
                    } catch {
                        self.finish(id, with: .failure(.connectionNotFound))
                    }
                }
            }
        } onCancel: {
            Task { await self.finish(id, with: .failure(.cancelled)) }
        }
    }

    private func finish(_ id: String, with outcome: Result<[UInt8], SigningError>) {
        guard let entry = waiting.removeValue(forKey: id) else { return }
        entry.timer.cancel()
        entry.continuation.resume(returning: outcome)
    }
}
