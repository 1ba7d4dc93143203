/// Dynamic tags (Rhai Book, language/dynamic-tag.md): a tag goes with the value wherever it is copied
/// (variables, arguments, containers, results); operations on the value make untagged results.
extension Dynamic {
    /// The value's tag: 0 unless one was set.
    public var dynamicTag: Int32 {
        switch self {
        case .tagged(let t): t.tag
        case .shared(let s): s.value.dynamicTag
        default: 0
        }
    }

    /// The value with its tag set to `tag` (0 removes it).
    public func withTag(_ tag: Int32) -> Dynamic {
        let v = plain
        return tag == 0 ? v : .tagged(TaggedValue(v, tag: tag))
    }

    /// Runs `body` on the value without its tag, in place; the value keeps its tag.
    mutating func mutateUntagged<R>(_ body: (inout Dynamic) throws(RhaiError) -> R) throws(RhaiError) -> R {
        guard case .tagged(let t) = self else { return try body(&self) }
        let tag = t.tag
        var inner = t.value
        self = .unit
        defer { self = inner.withTag(tag) }
        return try body(&inner)
    }

    var isMap: Bool {
        if case .map = self { return true }
        return false
    }

    @inline(__always) var isTagged: Bool {
        if case .tagged = self { return true }
        return false
    }

    /// The value without its closure-capture wrapper and its tag: what operations work on.
    @inline(__always) var plain: Dynamic {
        switch self {
        case .tagged, .shared: unwrapped
        default: self
        }
    }

    private var unwrapped: Dynamic {
        switch self {
        case .tagged(let t): t.value
        case .shared(let s): if case .tagged(let t) = s.value { t.value } else { s.value }
        default: self
        }
    }

    /// The value with tags removed at every level (what leaves the engine), rebuilt only where a tag is.
    public var untagged: Dynamic {
        switch self {
        case .tagged(let t): return t.value.untagged
        case .array(let a):
            guard a.contains(where: \.holdsTag) else { return self }
            return .array(a.map(\.untagged))
        case .map(let m):
            guard m.values.contains(where: \.holdsTag) else { return self }
            return .map(m.mapValues(\.untagged))
        default: return self
        }
    }

    /// Whether a tag is anywhere in the value (iterative: values nest up to `maxNesting`).
    var holdsTag: Bool {
        var work = [self]
        while let v = work.popLast() {
            switch v {
            case .tagged: return true
            case .array(let a): work.append(contentsOf: a.lazy.filter(\.isTagOrContainer))
            case .map(let m): work.append(contentsOf: m.values.lazy.filter(\.isTagOrContainer))
            default: break
            }
        }
        return false
    }

    private var isTagOrContainer: Bool {
        switch self {
        case .tagged, .array, .map: true
        default: false
        }
    }
}
