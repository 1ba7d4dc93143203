import Actors
import CirclesCore

/// One WebSocket connection's JSON-RPC session (the `CircleWs` actor of the seeds): it owns the
/// connection's authentication state and handles its messages one at a time, in order. `play`
/// requests run concurrently (up to `maxInFlight`) and are answered by id as they finish.
package final class CircleSession: ActorBehavior {
    package enum Message: Sendable {
        /// An inbound text frame.
        case frame(String)
        /// A play this session started has an outcome.
        case played(ReplyTarget, started: Double, Result<TaskResult, QueueError>)
        /// The connection closed: forget this connection's nonces; the session stops once its plays are done.
        case closed
        /// The node is stopping: refuse new plays, finish the running ones, then close with 1001.
        case drain
    }

    /// Where a reply goes: straight to the connection, or into its place in a pending batch.
    package enum ReplyTarget: Sendable {
        case single(RPCId?)
        case batch(id: Int, index: Int, RPCId?)
    }

    private struct PendingBatch {
        var responses: [RPCResponse?]
        var remaining: Int
        var closeAfter = false
    }

    package let connection: UInt64
    let settings: SessionSettings
    private let output: any SessionOutput
    let nonces: ActorRef<NonceStore.Message>
    private let queue: any TaskQueue
    let metrics: NodeMetrics
    private let clock: @Sendable () -> Double

    var authenticated: CallerKey?
    /// The key of the last `fetch_nonce`, reused by the `authenticate` that names it (parsed once).
    var nonceKey: (hex: String, key: CallerKey)?
    private var inFlight = 0
    private var batches: [Int: PendingBatch] = [:]
    private var nextBatch = 0
    private var closing = false
    private var draining = false
    private var connectionClosed = false

    package init(connection: UInt64, settings: SessionSettings, output: any SessionOutput, nonces: ActorRef<NonceStore.Message>,
                queue: any TaskQueue, metrics: NodeMetrics, clock: @escaping @Sendable () -> Double = EmbeddedTaskQueue.wallClock) {
        self.connection = connection
        self.settings = settings
        self.output = output
        self.nonces = nonces
        self.queue = queue
        self.metrics = metrics
        self.clock = clock
    }

    package func receive(_ message: Message, context: ActorContext<Message>) async throws {
        switch message {
        case .frame(let text):
            guard !closing else { return }
            await handle(frame: text, context: context)
        case .played(let target, let started, let outcome):
            inFlight -= 1
            metrics.playLatency.observe(clock() - started)
            settings.logger?.debug("play", metadata: playMetadata(target, outcome, seconds: clock() - started))
            deliver(Self.answer(outcome, metrics: metrics), to: target)
        case .closed:
            closing = true
            connectionClosed = true
            nonces.tell(.forget(connection: connection))
        case .drain:
            draining = true
        }
        if draining, inFlight == 0, !closing {
            closing = true
            output.close(code: 1001, reason: "the node is shutting down")
        }
        if connectionClosed, inFlight == 0 { context.stop() }
    }

    // MARK: Requests

    private func handle(frame: String, context: ActorContext<Message>) async {
        switch RPCMessage.parse(frame) {
        case .single(.rejected(let response)):
            output.send(text: response.json.serialized)
        case .single(.request(let request)):
            let (response, close) = await handle(request, target: .single(request.id), context: context)
            if let response, !request.isNotification { output.send(text: response.json.serialized) }
            if close { closeForFailedAuthentication() }
        case .batch(let calls):
            nextBatch += 1
            let id = nextBatch
            var pending = PendingBatch(responses: Array(repeating: nil, count: calls.count), remaining: 0)
            var deferred: [Int] = []
            for (index, call) in calls.enumerated() {
                switch call {
                case .rejected(let response):
                    pending.responses[index] = response
                case .request(let request):
                    let (response, close) = await handle(request, target: .batch(id: id, index: index, request.id), context: context)
                    pending.closeAfter = pending.closeAfter || close
                    if let response {
                        if !request.isNotification { pending.responses[index] = response }
                    } else {
                        deferred.append(index)
                    }
                }
            }
            pending.remaining = deferred.count
            batches[id] = pending
            finishBatchIfDone(id)
        }
    }

    /// The immediate response, or nil when it comes later (a play); and whether to close afterwards.
    private func handle(_ request: RPCRequest, target: ReplyTarget, context: ActorContext<Message>) async -> (RPCResponse?, Bool) {
        let id = request.id ?? .null
        func fail(_ error: RPCError) -> (RPCResponse?, Bool) { (RPCResponse(id: id, error: error), false) }
        let params = request.params?.objectValue
        if request.params != nil, params == nil {
            return fail(.invalidParams("params must be an object of named parameters"))
        }
        switch request.method {
        case "fetch_nonce":
            return await fetchNonce(params, id: id)
        case "authenticate":
            return await authenticate(params, id: id)
        case "play":
            guard let script = params?["script"]?.stringValue else { return fail(.invalidParams("script (string) is required")) }
            if settings.authRequired, authenticated == nil {
                metrics.playsRejected.increment()
                return fail(.authenticationRequired)
            }
            if draining {
                metrics.playsRejected.increment()
                return fail(.internalError("the node is shutting down; try another node or later"))
            }
            guard inFlight < settings.maxInFlight else {
                metrics.playsRejected.increment()
                return fail(.tooManyRequests(settings.maxInFlight))
            }
            let caller = authenticated?.hex
            if let caller, let shares = settings.callers, !shares.acquire(caller) {
                metrics.playsRejected.increment()
                metrics.playsRefusedCallerCap.increment()
                return fail(RPCError(code: RPCError.tooManyRequestsCode, message: "Too many plays in flight for this caller",
                                     data: .string("limit is \(shares.limit) per caller across all its connections to this node")))
            }
            inFlight += 1
            let started = clock()
            let task = ScriptTask(circle: settings.circle, caller: caller ?? "anonymous", script: script, createdAt: started)
            let me = context.ref
            let shares = caller == nil ? nil : settings.callers
            queue.submit(task, timeout: settings.playTimeout) { outcome in
                if let caller, let shares { shares.release(caller) }
                me.tell(.played(target, started: started, outcome))
            }
            return (nil, false)
        case "whoami":
            return (RPCResponse(id: id, result: ["circle": .string(settings.circle),
                                                 "pubkey": authenticated.map { .string($0.hex) } ?? .null,
                                                 "authenticated": .bool(authenticated != nil)]), false)
        case "rpc.discover":
            return (RPCResponse(id: id, result: OpenRPCDocument.json), false)
        default:
            return fail(.methodNotFound(request.method))
        }
    }

    static func answer(_ outcome: Result<TaskResult, QueueError>, metrics: NodeMetrics) -> (RPCId?) -> RPCResponse {
        { id in
            switch outcome {
            case .success(let result):
                switch result.outcome {
                case .success(let output):
                    metrics.playsCompleted.increment()
                    return RPCResponse(id: id ?? .null, result: ["output": .string(output), "logs": .array(result.logs.map(JSON.string))])
                case .failure(let failure):
                    metrics.playsFailed.increment()
                    countStopped(failure, metrics: metrics)
                    return RPCResponse(id: id ?? .null, error: .executionError(failure.json))
                }
            case .failure(let error):
                metrics.playsRejected.increment()
                return RPCResponse(id: id ?? .null, error: .internalError(error.description))
            }
        }
    }

    /// Counts a play a limit stopped, by limit, from the failure's kind and message.
    static func countStopped(_ failure: ScriptFailure, metrics: NodeMetrics) {
        if failure.kind == .timeout { return metrics.playsStoppedTime.increment() }
        guard failure.kind == .limit else { return }
        let message = failure.message.lowercased()
        if message.contains("memory") {
            metrics.playsStoppedMemory.increment()
        } else if message.contains("output") || message.contains("log") {
            metrics.playsStoppedOutput.increment()
        } else {
            metrics.playsStoppedOperations.increment()
        }
    }

    private func deliver(_ answer: (RPCId?) -> RPCResponse, to target: ReplyTarget) {
        switch target {
        case .single(let id):
            guard let id, !closing else { return }
            output.send(text: answer(id).json.serialized)
        case .batch(let batch, let index, let id):
            guard var pending = batches[batch] else { return }
            if let id { pending.responses[index] = answer(id) }
            pending.remaining -= 1
            batches[batch] = pending
            finishBatchIfDone(batch)
        }
    }

    private func finishBatchIfDone(_ id: Int) {
        guard let pending = batches[id], pending.remaining == 0 else { return }
        batches[id] = nil
        if !closing, let text = RPCMessage.encodeBatch(pending.responses.compactMap { $0 }) { output.send(text: text) }
        if pending.closeAfter { closeForFailedAuthentication() }
    }

    private func closeForFailedAuthentication() {
        guard !closing else { return }
        closing = true
        output.close(code: 1008, reason: "invalid credentials")
    }
}
