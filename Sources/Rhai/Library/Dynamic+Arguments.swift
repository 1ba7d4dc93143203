/// Payload accessors for native arguments whose types the signature already checked.
extension Dynamic {
    var i: Int64 { if case .int(let v) = self { return v }; return 0 }
    var f: Double { asFloat ?? 0 }
    var s: String { if case .string(let v) = self { return v }; return "" }
    var c: Unicode.Scalar { if case .char(let v) = self { return v }; return " " }
    var b: Bool { if case .bool(let v) = self { return v }; return false }
    var arr: [Dynamic] { if case .array(let v) = self { return v }; return [] }
    var m: [String: Dynamic] { if case .map(let v) = self { return v }; return [:] }
    /// A function pointer argument; a string names a function.
    var fp: FnPtr {
        if case .fnPtr(let v) = self { return v }
        if case .string(let name) = self { return FnPtr(name: name, function: nil) }
        return FnPtr(name: "", function: nil)
    }
    /// A string or a char argument as a string.
    var text: String { if case .char(let v) = self { return String(Character(v)) }; return s }
}

/// In-place mutation of a payload, keeping it uniquely referenced.
@inline(__always) func withArray<R>(_ v: inout Dynamic, _ body: (inout [Dynamic]) throws(RhaiError) -> R) throws(RhaiError) -> R {
    guard var a = v.takeArray() else { throw RhaiError(.mismatchDataType, "expecting an array") }
    defer { v = .array(a) }
    return try body(&a)
}

@inline(__always) func withString<R>(_ v: inout Dynamic, _ body: (inout String) throws(RhaiError) -> R) throws(RhaiError) -> R {
    guard var s = v.takeString() else { throw RhaiError(.mismatchDataType, "expecting a string") }
    defer { v = .string(s) }
    return try body(&s)
}

@inline(__always) func withMap<R>(_ v: inout Dynamic, _ body: (inout [String: Dynamic]) throws(RhaiError) -> R) throws(RhaiError) -> R {
    guard var m = v.takeMap() else { throw RhaiError(.mismatchDataType, "expecting an object map") }
    defer { v = .map(m) }
    return try body(&m)
}

@inline(__always) func withBlob<R>(_ v: inout Dynamic, _ body: (inout [UInt8]) throws(RhaiError) -> R) throws(RhaiError) -> R {
    guard var m = v.takeBlob() else { throw RhaiError(.mismatchDataType, "expecting a BLOB") }
    defer { v = .blob(m) }
    return try body(&m)
}
