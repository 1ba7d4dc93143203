/// Why the circle's state could not be read or written.
package enum StateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A data limit (value size, paths, total bytes) would be exceeded.
    case limit(String)
    /// The store failed: an I/O error, a corrupt database, Redis unreachable.
    case storage(String)

    package var description: String {
        switch self {
        case .limit(let detail): detail
        case .storage(let detail): "circle state unavailable: \(detail)"
        }
    }
}
