import CirclesCore

/// Per-script limits (SPEC section 6), all configurable; zero means unlimited except for the timeout.
public struct ScriptLimits: Sendable, Equatable {
    public var maxOperations = 10_000_000
    public var maxCallDepth = 64
    public var maxExpressionDepth = 64
    public var maxStringSize = 1 << 20
    public var maxArraySize = 100_000
    public var maxMapSize = 100_000
    /// Bytes of values one script may hold at once (eight plays at once fit in 512 MiB).
    public var maxMemory = 64 << 20
    /// Bytes of `print`/`debug` output, and of the rendered result, per script.
    public var maxOutput = 4 << 20
    /// Wall-clock limit in seconds.
    public var timeout = 10.0

    public init() {}

    static let fields = ["max_operations", "max_call_depth", "max_expression_depth", "max_string_size",
                         "max_array_size", "max_map_size", "max_memory", "max_output", "timeout_seconds"]

    /// Reads the `limits` object of a config entry; unknown fields and bad values are errors.
    init(json: JSON, fail: (String, String) -> ConfigError) throws(ConfigError) {
        guard let object = json.objectValue else { throw fail("limits", "must be an object") }
        for key in object.keys where !Self.fields.contains(key) {
            throw fail("limits.\(key)", "unknown limit (known: \(Self.fields.joined(separator: ", ")))")
        }
        func count(_ key: String) throws(ConfigError) -> Int? {
            guard let value = object[key] else { return nil }
            guard let number = value.intValue, number >= 0, number <= Int64(Int32.max) else {
                throw fail("limits.\(key)", "must be a non-negative integer")
            }
            return Int(number)
        }
        if let value = try count("max_operations") { maxOperations = value }
        if let value = try count("max_call_depth") { maxCallDepth = value }
        if let value = try count("max_expression_depth") { maxExpressionDepth = value }
        if let value = try count("max_string_size") { maxStringSize = value }
        if let value = try count("max_array_size") { maxArraySize = value }
        if let value = try count("max_map_size") { maxMapSize = value }
        if let value = try count("max_memory") { maxMemory = value }
        if let value = try count("max_output") { maxOutput = value }
        if let value = object["timeout_seconds"] {
            guard let seconds = value.doubleValue, seconds > 0, seconds <= 86_400 else {
                throw fail("limits.timeout_seconds", "must be a number of seconds between 0 and 86400")
            }
            timeout = seconds
        }
    }
}
