/// Where a run's `print` and `debug` output goes.
public struct OutputSink: Sendable {
    public var print: @Sendable (String) -> Void
    public var debug: @Sendable (String) -> Void

    public init(print: @escaping @Sendable (String) -> Void, debug: @escaping @Sendable (String) -> Void) {
        self.print = print
        self.debug = debug
    }

    /// Collects both into one closure (debug lines as they would print).
    public init(_ both: @escaping @Sendable (String) -> Void) {
        self.init(print: both, debug: both)
    }
}
