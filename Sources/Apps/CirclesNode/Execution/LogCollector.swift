import Synchronization

/// Collects a run's printed lines, up to a bound so a chatty script cannot exhaust memory.
final class LogCollector: Sendable {
    static let maxLines = 1000
    static let maxBytes = 256 << 10

    private struct State {
        var lines: [String] = []
        var bytes = 0
        var dropped = 0
    }
    private let state = Mutex(State())

    func append(_ line: String) {
        state.withLock { state in
            guard state.lines.count < Self.maxLines, state.bytes + line.utf8.count <= Self.maxBytes else {
                state.dropped += 1
                return
            }
            state.bytes += line.utf8.count
            state.lines.append(line)
        }
    }

    var lines: [String] {
        state.withLock { state in
            state.dropped > 0 ? state.lines + ["… \(state.dropped) more lines dropped"] : state.lines
        }
    }
}
