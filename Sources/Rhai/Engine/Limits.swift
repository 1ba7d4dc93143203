/// Safety limits for running scripts; 0 means unlimited.
public struct Limits: Sendable, Equatable {
    /// Operations (statements, loop iterations, calls) per run.
    public var maxOperations: Int = 0
    /// Nesting of function calls.
    public var maxCallDepth: Int = 64
    /// Nesting of expressions, blocks and string interpolations in the source (checked while lexing
    /// and parsing; 0 still stops at 4,096 levels).
    public var maxExpressionDepth: Int = 64
    /// Nesting inside a function body, counted from the body's start (0: `maxExpressionDepth`).
    public var maxFunctionExpressionDepth: Int = 0
    /// Bytes (UTF-8) of the strings in one value, counted through arrays and maps (Rhai's data size);
    /// a longer string literal is a syntax error.
    public var maxStringSize: Int = 0
    /// Items of the arrays and BLOBs in one value, counted through nesting (an array of four 3-item
    /// arrays has 16); an array literal with more items is a syntax error.
    public var maxArraySize: Int = 0
    /// Properties of the object maps in one value, counted through nesting; a map literal with more
    /// is a syntax error.
    public var maxMapSize: Int = 0
    /// Variables in scope when a `let` or `const` runs (`ErrorTooManyVariables`).
    public var maxVariables: Int = 0
    /// Script functions and closures one script may define (a syntax error past it).
    public var maxFunctions: Int = 0
    /// Distinct modules one run may import (`ErrorTooManyModules`; 0 still stops at 1,024).
    public var maxModules: Int = 0
    /// Bytes of strings, arrays, maps and BLOBs one run may hold at once (its memory budget). Values
    /// are charged as they are created or grow; when the charges pass the budget the run's reachable
    /// values are measured, and the run stops with `ErrorDataTooLarge` if they really exceed it.
    public var maxMemory: Int = 0
    /// Bytes one run may write as text: all its `print`/`debug` output together (and, for hosts that
    /// render the result with `Dynamic.text(limit:)`, the result). Rendering stops with
    /// `ErrorDataTooLarge` as soon as it passes the limit.
    public var maxOutput: Int = 0

    public init() {}

    public init(maxOperations: Int = 0, maxCallDepth: Int = 64, maxExpressionDepth: Int = 64,
                maxStringSize: Int = 0, maxArraySize: Int = 0, maxMapSize: Int = 0,
                maxMemory: Int = 0, maxOutput: Int = 0) {
        self.maxOperations = maxOperations
        self.maxCallDepth = maxCallDepth
        self.maxExpressionDepth = maxExpressionDepth
        self.maxStringSize = maxStringSize
        self.maxArraySize = maxArraySize
        self.maxMapSize = maxMapSize
        self.maxMemory = maxMemory
        self.maxOutput = maxOutput
    }

    /// Conservative limits for scripts from untrusted peers: 64 MiB of memory (eight runs at once fit
    /// in a 512 MiB node) and 16 MiB of output.
    public static let untrusted = Limits(maxOperations: 10_000_000, maxCallDepth: 64, maxExpressionDepth: 64,
                                         maxStringSize: 1 << 20, maxArraySize: 1 << 20, maxMapSize: 1 << 16,
                                         maxMemory: 64 << 20, maxOutput: 16 << 20)
}
