/// A Rhai value. Numbers are stored unboxed; arrays, maps and strings have copy-on-write value semantics.
public enum Dynamic: Sendable {
    case unit
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case char(Unicode.Scalar)
    case string(String)
    case array([Dynamic])
    case map([String: Dynamic])
    case blob([UInt8])
    case fnPtr(FnPtr)
    /// Seconds on a monotonic clock (see `timestamp()`).
    case timestamp(Double)
    /// An integer range `start..end` (end exclusive) or `start..=end` (end inclusive).
    case range(Int64, Int64, inclusive: Bool)
    /// A variable captured by a closure; never seen outside the evaluator.
    case shared(SharedValue)
    /// A value with a dynamic tag other than 0 (`x.tag = 42`): made only by setting a tag, so the
    /// operations' fast paths never see it; their fallbacks look through it.
    case tagged(TaggedValue)
}

extension Dynamic {
    /// Rhai's `type_of` name.
    public var typeName: String {
        switch self {
        case .unit: "()"
        case .bool: "bool"
        case .int: "i64"
        case .float: "f64"
        case .char: "char"
        case .string: "string"
        case .array: "array"
        case .map: "map"
        case .blob: "blob"
        case .fnPtr: "Fn"
        case .timestamp: "timestamp"
        case .range(_, _, let inclusive): inclusive ? "range=" : "range"
        case .shared(let s): s.value.typeName
        case .tagged(let t): t.value.typeName
        }
    }

    /// The value with any closure-capture wrapper removed.
    @inline(__always) var flat: Dynamic {
        if case .shared(let s) = self { return s.value }
        return self
    }

    public var isUnit: Bool { if case .unit = plain { return true }; return false }

    public var asInt: Int64? { if case .int(let v) = plain { return v }; return nil }
    public var asFloat: Double? {
        switch plain {
        case .float(let v): v
        case .int(let v): Double(v)
        default: nil
        }
    }
    public var asBool: Bool? { if case .bool(let v) = plain { return v }; return nil }
    public var asString: String? { if case .string(let v) = plain { return v }; return nil }
    public var asArray: [Dynamic]? { if case .array(let v) = plain { return v }; return nil }
    public var asMap: [String: Dynamic]? { if case .map(let v) = plain { return v }; return nil }
}

extension Dynamic: Equatable {
    /// Rhai's `==`: same-typed values compare by content; INT and FLOAT compare numerically.
    public static func == (lhs: Dynamic, rhs: Dynamic) -> Bool {
        switch (lhs.plain, rhs.plain) {
        case (.unit, .unit): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.float(let a), .float(let b)): a == b
        case (.int(let a), .float(let b)): Double(a) == b
        case (.float(let a), .int(let b)): a == Double(b)
        case (.char(let a), .char(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.map(let a), .map(let b)): a == b
        case (.blob(let a), .blob(let b)): a == b
        case (.fnPtr(let a), .fnPtr(let b)): a.name == b.name && a.curried == b.curried
        case (.timestamp(let a), .timestamp(let b)): a == b
        case (.range(let a, let b, let c), .range(let d, let e, let f)): a == d && b == e && c == f
        default: false
        }
    }
}

extension Dynamic: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: Dynamic...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, Dynamic)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
}

/// Moving payloads out of a value (leaving unit) so they stay uniquely referenced while mutated.
/// (A `switch` on the value would keep a second reference alive and force a copy.)
extension Dynamic {
    @inline(__always) mutating func takeArray() -> [Dynamic]? {
        guard case .array(let a) = self else { return nil }
        self = .unit
        return a
    }

    @inline(__always) mutating func takeMap() -> [String: Dynamic]? {
        guard case .map(let m) = self else { return nil }
        self = .unit
        return m
    }

    @inline(__always) mutating func takeString() -> String? {
        guard case .string(let s) = self else { return nil }
        self = .unit
        return s
    }

    @inline(__always) mutating func takeBlob() -> [UInt8]? {
        guard case .blob(let b) = self else { return nil }
        self = .unit
        return b
    }
}
