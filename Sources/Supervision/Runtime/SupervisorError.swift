/// Why a supervisor ended with a failure (escalated to its parent).
public enum SupervisorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// More restarts than its intensity allows.
    case restartIntensityExceeded(supervisor: String, child: String, restarts: Int, period: Double, lastFailure: String)
    /// `startChild` on a full dynamic pool.
    case poolFull(supervisor: String, limit: Int)
    /// `startChild` on a supervisor that is not dynamic, or that is stopping.
    case notAccepting(supervisor: String)
    case duplicateChild(String)

    public var description: String {
        switch self {
        case .restartIntensityExceeded(let supervisor, let child, let restarts, let period, let lastFailure):
            "supervisor \(supervisor) gave up: child \(child) needed more than \(restarts) restarts within \(period) s (last failure: \(lastFailure))"
        case .poolFull(let supervisor, let limit): "supervisor \(supervisor) already has its maximum of \(limit) children"
        case .notAccepting(let supervisor): "supervisor \(supervisor) does not accept new children"
        case .duplicateChild(let id): "a child with id \(id) already exists"
        }
    }
}
