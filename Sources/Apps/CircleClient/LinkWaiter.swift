/// A call waiting for a connection while one is being opened (or reopened).
struct LinkWaiter: Sendable {
    typealias Continuation = CheckedContinuation<Result<Link, CircleClientError>, Never>

    let continuation: Continuation
    var timeout: Task<Void, Never>?

    func resume(_ result: Result<Link, CircleClientError>) {
        timeout?.cancel()
        continuation.resume(returning: result)
    }
}
