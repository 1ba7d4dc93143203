import CirclesCore
import Transport

/// A request sent (or about to be) and not yet answered.
struct PendingCall: Sendable {
    typealias Continuation = CheckedContinuation<Result<JSON, CircleClientError>, Never>

    let link: Int
    let continuation: Continuation
    let loop: EventLoop
    /// The timeout timer on `loop`, once scheduled.
    var timer: UInt64?

    func cancelTimer() {
        guard let timer else { return }
        if loop.inLoop {
            loop.cancelTimer(timer)
        } else {
            loop.execute { [loop] in loop.cancelTimer(timer) }
        }
    }
}
