import CirclesCore
import Transport

extension CircleClient {
    /// Sends one request and waits for its reply: on `pinned` when given (a connection being set up),
    /// else on the current connection, waiting for one while the client reconnects.
    func call(_ method: String, _ params: JSONObject, on pinned: Link?, timeout: Double?) async throws(CircleClientError) -> JSON {
        let seconds = timeout ?? configuration.timeout
        let start = ContinuousClock.now
        let link: Link
        if let pinned {
            link = pinned
        } else {
            link = try await currentLink(for: method, seconds: seconds)
        }
        let waited = (ContinuousClock.now - start).components
        let remaining = max(0.001, seconds - Double(waited.seconds) - Double(waited.attoseconds) * 1e-18)
        let id = state.withLock { state in
            state.nextCallId += 1
            return state.nextCallId
        }
        let text = RPCRequest(method: method, params: .object(params), id: .int(id)).json.serialized
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: PendingCall.Continuation) in
                send(text, id: id, on: link, continuation: continuation, timeout: remaining, timeoutError: .timeout(method: method, seconds: seconds))
            }
        } onCancel: {
            abandon(id, with: .cancelled)
        }
        return try outcome.get()
    }

    /// Registers the call, then on the link's loop arms its timer and writes the frame (one hop).
    private func send(_ text: String, id: Int64, on link: Link, continuation: PendingCall.Continuation,
                      timeout: Double, timeoutError: CircleClientError) {
        let refusal = state.withLock { state -> CircleClientError? in
            guard state.liveLinks.contains(link.id) else { return state.closedError(of: link.id) }
            state.calls[id] = PendingCall(link: link.id, continuation: continuation, loop: link.loop)
            return nil
        }
        if let refusal { return continuation.resume(returning: .failure(refusal)) }
        if Task.isCancelled { return abandon(id, with: .cancelled) }
        let loop = link.loop
        loop.perform { [self] in
            let timer = loop.schedule(after: timeout) { [self] in abandon(id, with: timeoutError) }
            let pending = state.withLock { state -> Bool in
                guard state.calls[id] != nil else { return false }
                state.calls[id]?.timer = timer
                return true
            }
            guard pending else { return loop.cancelTimer(timer) }
            link.connection.send(text: text)
        }
    }

    /// Ends a pending call with `error`; a reply that comes later is dropped.
    func abandon(_ id: Int64, with error: CircleClientError) {
        guard let call = state.withLock({ $0.calls.removeValue(forKey: id) }) else { return }
        call.cancelTimer()
        call.continuation.resume(returning: .failure(error))
    }

    /// The open connection; while one is being opened, waits for it (at most `seconds`).
    func currentLink(for method: String, seconds: Double) async throws(CircleClientError) -> Link {
        enum Now { case ready(Result<Link, CircleClientError>), wait(Int) }
        let now = state.withLock { state -> Now in
            switch state.phase {
            case .open(let link): return .ready(.success(link))
            case .idle: return .ready(.failure(state.notConnectedError))
            case .connecting:
                state.nextWaiterId += 1
                return .wait(state.nextWaiterId)
            }
        }
        let id: Int
        switch now {
        case .ready(let result): return try result.get()
        case .wait(let waiter): id = waiter
        }
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: LinkWaiter.Continuation) in
                wait(id, continuation: continuation, seconds: seconds, timeoutError: .timeout(method: method, seconds: seconds))
            }
        } onCancel: {
            releaseWaiter(id, with: .failure(.cancelled))
        }
        return try outcome.get()
    }

    private func wait(_ id: Int, continuation: LinkWaiter.Continuation, seconds: Double, timeoutError: CircleClientError) {
        let immediate = state.withLock { state -> Result<Link, CircleClientError>? in
            switch state.phase {
            case .open(let link): return .success(link)
            case .idle: return .failure(state.notConnectedError)
            case .connecting:
                state.waiters[id] = LinkWaiter(continuation: continuation)
                return nil
            }
        }
        if let immediate { return continuation.resume(returning: immediate) }
        let timeout = Task { [self] in
            do {
                try await Task.sleep(for: .seconds(seconds))
                releaseWaiter(id, with: .failure(timeoutError))
            } catch {}
        }
        let armed = state.withLock { state -> Bool in
            guard state.waiters[id] != nil else { return false }
            state.waiters[id]?.timeout = timeout
            return true
        }
        if !armed { timeout.cancel() }
        if Task.isCancelled { releaseWaiter(id, with: .failure(.cancelled)) }
    }

    private func releaseWaiter(_ id: Int, with result: Result<Link, CircleClientError>) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(result)
    }
}
