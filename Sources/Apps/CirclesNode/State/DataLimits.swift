import CirclesCore

/// Per-circle bounds on its stored data (SPEC section 6.1). A write over one of them fails the task
/// with a `limit` error and nothing of the task is committed.
public struct DataLimits: Sendable, Equatable {
    /// Bytes of one value's JSON text.
    public var maxValueBytes = 4 << 20
    /// Stored paths.
    public var maxPaths = 100_000
    /// Bytes of every path and value together.
    public var maxTotalBytes = 256 << 20

    public init() {}

    public init(maxValueBytes: Int, maxPaths: Int, maxTotalBytes: Int) {
        self.maxValueBytes = maxValueBytes
        self.maxPaths = maxPaths
        self.maxTotalBytes = maxTotalBytes
    }

    static let fields = ["max_value_bytes", "max_paths", "max_total_bytes"]

    /// Reads the `data_limits` object of a launcher config entry; unknown fields and bad values are errors.
    init(json: JSON, fail: (String, String) -> ConfigError) throws(ConfigError) {
        guard let object = json.objectValue else { throw fail("data_limits", "must be an object") }
        for key in object.keys where !Self.fields.contains(key) {
            throw fail("data_limits.\(key)", "unknown limit (known: \(Self.fields.joined(separator: ", ")))")
        }
        func count(_ key: String) throws(ConfigError) -> Int? {
            guard let value = object[key] else { return nil }
            guard let number = value.intValue, number > 0, number <= 1 << 40 else {
                throw fail("data_limits.\(key)", "must be a positive integer")
            }
            return Int(number)
        }
        if let value = try count("max_value_bytes") { maxValueBytes = value }
        if let value = try count("max_paths") { maxPaths = value }
        if let value = try count("max_total_bytes") { maxTotalBytes = value }
    }
}
