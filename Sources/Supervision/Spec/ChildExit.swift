/// How a child's run ended.
public enum ChildExit: Sendable, Equatable, CustomStringConvertible {
    case normal
    case failed(String)

    public var description: String {
        switch self {
        case .normal: "normal"
        case .failed(let reason): "failed: \(reason)"
        }
    }
}
