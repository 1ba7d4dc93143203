/// How a child is stopped: asked to finish within a deadline (then cancelled), or cancelled at once.
public enum ShutdownPolicy: Sendable, Equatable {
    case graceful(timeout: Duration)
    case immediate

    public static let `default` = ShutdownPolicy.graceful(timeout: .seconds(5))
}
