import CirclesCore
import Transport

extension CircleClient {
    /// Starts reopening the connection after a drop (the phase is already `connecting`).
    func startReconnecting(epoch: Int) {
        let task = Task { await reconnect(epoch: epoch) }
        let kept = state.withLock { state -> Bool in
            guard state.epoch == epoch else { return false }
            state.reconnectTask = task
            return true
        }
        if !kept { task.cancel() }
    }

    /// Attempts with backoff until a connection is open (and authenticated again when it was before),
    /// the policy gives up, or `close()` ends it.
    private func reconnect(epoch: Int) async {
        guard let policy = configuration.reconnect else { return }
        var attempt = 0
        while true {
            attempt += 1
            let failure: CircleClientError
            do {
                try await reopen(epoch: epoch)
                return
            } catch {
                failure = error
            }
            guard state.withLock({ $0.epoch == epoch }), !Task.isCancelled else { return }
            if Self.isFinal(failure) || attempt >= (policy.maxAttempts ?? .max) {
                failConnecting(epoch: epoch, with: failure)
                return
            }
            do {
                try await Task.sleep(for: .seconds(policy.delay(after: attempt)))
            } catch {
                return
            }
        }
    }

    private func reopen(epoch: Int) async throws(CircleClientError) {
        let link = try await dial()
        do {
            var key: CallerKey?
            if let privateKey = configuration.callerKey, state.withLock({ $0.reauthenticate }) {
                try await authenticate(privateKey, on: link)
                key = privateKey.publicKey
            }
            try publish(link, epoch: epoch, authenticatedAs: key)
            state.withLock { state in
                if state.epoch == epoch { state.reconnectTask = nil }
            }
        } catch {
            discard(link)
            throw error
        }
    }

    /// Failures that another attempt would only repeat.
    private static func isFinal(_ error: CircleClientError) -> Bool {
        switch error {
        case .invalidCredentials, .invalidURL, .closed, .missingKey, .invalidConfiguration: true
        default: false
        }
    }
}
