/// Why a task could not be run through the queue; the script itself never ran or its answer was lost.
package enum QueueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The queue backend (Redis) is unreachable; the node keeps trying to reconnect.
    case unavailable(String)
    /// No worker answered within the reply timeout.
    case timedOut(seconds: Double)
    /// Too many tasks are waiting; try again later.
    case overloaded(limit: Int)
    /// The queue is shutting down and takes no new tasks.
    case shuttingDown

    package var description: String {
        switch self {
        case .unavailable(let reason): "task queue unavailable: \(reason)"
        case .timedOut(let seconds): "no worker answered within \(seconds) s"
        case .overloaded(let limit): "task queue full (\(limit) waiting)"
        case .shuttingDown: "task queue is shutting down"
        }
    }
}
