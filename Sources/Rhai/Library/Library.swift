/// The standard library packages of a default Rhai engine, as native functions.
enum Library {
    static let standard: NativeTable = {
        var t = NativeTable()
        core(&t)
        math(&t)
        strings(&t)
        arrays(&t)
        maps(&t)
        blobs(&t)
        return t
    }()

    static func fail(_ msg: String, _ kind: RhaiError.Kind = .runtime) -> RhaiError { RhaiError(kind, msg) }
}

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

extension Interp {
    /// Calls a callback with as many of (item, index) as it takes.
    func callback(_ fp: FnPtr, _ item: Dynamic, _ index: Int) throws(RhaiError) -> Dynamic {
        var takes = 1
        if let f = fp.function {
            takes = f.paramCount - fp.curried.count
        } else if program.scriptFunction(fp.name, arity: fp.curried.count + 1) == nil,
                  program.scriptFunction(fp.name, arity: fp.curried.count + 2) != nil {
            takes = 2
        }
        switch takes {
        case 0:
            var this = item
            return try call(fp, this: &this, args: [], pos: .none)
        case 1: return try call(fp, [item])
        default: return try call(fp, [item, .int(Int64(index))])
        }
    }

    func predicate(_ fp: FnPtr, _ item: Dynamic, _ index: Int) throws(RhaiError) -> Bool {
        let r = try callback(fp, item, index)
        guard case .bool(let b) = r else {
            throw RhaiError(.mismatchDataType, "Data type incorrect: \(r.typeName) (expecting bool)")
        }
        return b
    }
}
