/// Safety limits for running scripts; 0 means unlimited.
public struct Limits: Sendable, Equatable {
    /// Operations (statements, loop iterations, calls) per run.
    public var maxOperations: Int = 0
    /// Nesting of function calls.
    public var maxCallDepth: Int = 64
    /// Nesting of expressions and blocks in the source (checked while parsing).
    public var maxExpressionDepth: Int = 64
    /// Bytes (UTF-8) in one string.
    public var maxStringSize: Int = 0
    /// Items in one array or bytes in one BLOB.
    public var maxArraySize: Int = 0
    /// Properties in one object map.
    public var maxMapSize: Int = 0

    public init() {}

    public init(maxOperations: Int = 0, maxCallDepth: Int = 64, maxExpressionDepth: Int = 64,
                maxStringSize: Int = 0, maxArraySize: Int = 0, maxMapSize: Int = 0) {
        self.maxOperations = maxOperations
        self.maxCallDepth = maxCallDepth
        self.maxExpressionDepth = maxExpressionDepth
        self.maxStringSize = maxStringSize
        self.maxArraySize = maxArraySize
        self.maxMapSize = maxMapSize
    }

    /// Conservative limits for scripts from untrusted peers.
    public static let untrusted = Limits(maxOperations: 10_000_000, maxCallDepth: 64, maxExpressionDepth: 64,
                                         maxStringSize: 1 << 20, maxArraySize: 1 << 20, maxMapSize: 1 << 16)
}
