/// An assignable place: a variable, `this` or a host scope variable, followed by index and property steps.
/// Mutation moves the root value out of its slot (so arrays and maps stay uniquely referenced and
/// change in place), walks the steps, and moves it back.
struct LValue: Sendable {
    enum Root: Sendable {
        case local(Int)
        case this(Pos)
        case absolute(Int)
        case global(String, Pos)
    }

    enum Step: Sendable {
        case index(Code, Pos, nullSafe: NullSafety)
        case property(String, Pos, nullSafe: NullSafety)

        var pos: Pos {
            switch self {
            case .index(_, let p, _), .property(_, let p, _): p
            }
        }

        /// `?.` and `?[`: no action when the value reached so far is `()`.
        var isNullSafe: Bool {
            switch self {
            case .index(_, _, let ns), .property(_, _, let ns): ns == .check
            }
        }
    }

    let root: Root
    let steps: [Step]
    /// True for assignments; false for method calls, which may also reach values a script cannot set
    /// (a property of a non-map value, a read-only `this`) and then work on a copy.
    var assigns = true
    /// Whether a step is the `tag` property (`x.tag = 42`, `x.tag[3..5] = 2`): walked by `walkTagged`.
    let touchesTag: Bool

    init(root: Root, steps: [Step], assigns: Bool = true) {
        self.root = root
        self.steps = steps
        self.assigns = assigns
        touchesTag = steps.contains { if case .property("tag", _, _) = $0 { true } else { false } }
    }

    typealias Body = (inout Dynamic) throws(RhaiError) -> Dynamic

    func mutate(_ i: Interp, _ body: Body) throws(RhaiError) -> Dynamic {
        var keys: [Dynamic] = []
        if !steps.isEmpty {
            keys.reserveCapacity(steps.count)
            for s in steps {
                if case .index(let c, _, _) = s { keys.append(try c(i)) } else { keys.append(.unit) }
            }
        }
        return try mutate(i, keys: keys, body)
    }

    /// Mutates with the index keys already evaluated. The walk stops at a tagged value or index
    /// (`LValue.tagged`) before anything changes, and the tag-aware walk takes over.
    func mutate(_ i: Interp, keys: [Dynamic], _ body: Body) throws(RhaiError) -> Dynamic {
        if touchesTag { return try mutateTagged(i, keys, body) }
        do throws(RhaiError) {
            return try mutateWith(i, keys: keys, body)
        } catch {
            guard error.message == LValue.tagged.message else { throw error }
            return try mutateTagged(i, keys, body)
        }
    }

    private func mutateWith(_ i: Interp, keys: [Dynamic], _ body: Body) throws(RhaiError) -> Dynamic {
        switch root {
        case .local(let slot): return try withSlot(i, i.base &+ slot, keys, body)
        case .this(let pos):
            switch i.thisState {
            case .bound: return try withSlot(i, i.base, keys, body)
            case .unbound: _ = try i.readThis(pos); return .unit
            case .readOnly:
                if assigns { throw RhaiError(.assignmentToConstant, "Cannot modify constant 'this'", at: pos) }
                var copy = i.stack[i.base].flat
                return try walk(&copy, 0, keys, i, body)
            }
        case .absolute(let idx): return try withSlot(i, idx, keys, body)
        case .global(let name, let pos):
            if !i.lentScopes.isEmpty, let idx = i.lentSlot(name) { return try withSlot(i, idx, keys, body) }
            guard let k = i.scope.index(of: name) else {
                // An engine constant: methods and indexing work on a copy, the constant stays as it is.
                if var constant = i.program.constants[name] { return try walk(&constant, 0, keys, i, body) }
                throw RhaiError(.variableNotFound, "Variable not found: \(name)", at: pos)
            }
            var v = i.scope.take(k)
            defer { i.scope.put(k, v) }
            return try walk(&v, 0, keys, i, body)
        }
    }

    private func withSlot(_ i: Interp, _ idx: Int, _ keys: [Dynamic], _ body: Body) throws(RhaiError) -> Dynamic {
        var v = i.stack[idx]
        if case .shared(let box) = v {
            v = .unit
            var inner = box.value
            defer { box.value = inner }
            return try walk(&inner, 0, keys, i, body)
        }
        i.stack[idx] = .unit
        defer { i.stack[idx] = v }
        return try walk(&v, 0, keys, i, body)
    }

    private func walk(_ v: inout Dynamic, _ k: Int, _ keys: [Dynamic], _ i: Interp, _ body: Body) throws(RhaiError) -> Dynamic {
        if k == 0, i.checkRootData {
            // data is written inside the value: its data size is checked as a whole
            i.checkRootData = false
            if !steps.isEmpty {
                let r = try walk(&v, 0, keys, i, body)
                try i.checkDataSize(v, steps[0].pos)
                return r
            }
        }
        if k == steps.count { return try body(&v) }
        if case .unit = v, steps[k].isNullSafe { return .unit }
        let last = k == steps.count - 1
        switch steps[k] {
        case .index(_, let pos, _):
            let key = keys[k]
            if var a = v.takeArray() {
                defer { v = .array(a) }
                guard case .int(let n) = key else {
                    if key.isTagged { throw LValue.tagged }
                    throw Access.indexMismatch(key, expecting: "i64", pos)
                }
                let idx = try Access.arrayIndex(n, a.count, pos)
                return try walk(&a[idx], k + 1, keys, i, body)
            }
            if var m = v.takeMap() {
                defer { v = .map(m) }
                if key.isTagged { throw LValue.tagged }
                let name = try Access.mapKey(key, pos)
                return try walkMap(&m, name, k, keys, i, body, pos)
            }
            if v.isTagged || key.isTagged { throw LValue.tagged }
            switch v {
            case .string(let s):
                if last, case .range(let lo, let hi, let inc) = key {
                    // a slice of characters: read as a string, replaced by what is written
                    var chars = Array(s.unicodeScalars)
                    let slice = Access.stringSlice(lo, hi, inc, chars.count)
                    var x = Dynamic.string(String(String.UnicodeScalarView(chars[slice])))
                    let r = try body(&x)
                    let replacement: [Unicode.Scalar]
                    switch x {
                    case .string(let ns): replacement = Array(ns.unicodeScalars)
                    case .char(let c): replacement = [c]
                    default:
                        throw RhaiError(.mismatchDataType, "Data type incorrect: \(x.typeName) (expecting string)", at: pos)
                    }
                    chars.replaceSubrange(slice, with: replacement)
                    v = .string(String(String.UnicodeScalarView(chars)))
                    return r
                }
                guard case .int(let n) = key else { throw Access.indexMismatch(key, expecting: "i64", pos) }
                guard last else { throw LValue.notAContainer(v, pos) }
                var chars = Array(s.unicodeScalars)
                let idx = try Access.stringIndex(n, chars.count, pos)
                var c = Dynamic.char(chars[idx])
                let r = try body(&c)
                guard case .char(let nc) = c else {
                    throw RhaiError(.mismatchDataType, "Data type incorrect: \(c.typeName) (expecting char)", at: pos)
                }
                chars[idx] = nc
                v = .string(String(String.UnicodeScalarView(chars)))
                return r
            case .blob(let b0):
                var b = b0
                guard case .int(let n) = key else { throw Access.indexMismatch(key, expecting: "i64", pos) }
                guard last else { throw LValue.notAContainer(v, pos) }
                let idx = try Access.arrayIndex(n, b.count, pos)
                var x = Dynamic.int(Int64(b[idx]))
                let r = try body(&x)
                guard case .int(let nb) = x else {
                    throw RhaiError(.mismatchDataType, "Data type incorrect: \(x.typeName) (expecting i64)", at: pos)
                }
                b[idx] = UInt8(truncatingIfNeeded: nb)
                v = .blob(b)
                return r
            case .int(let bits):
                if last, case .range = key {
                    // a range of bits: read and written as an integer
                    let (s, e) = try Access.bitRange(key, pos)
                    var x = Dynamic.int(Library.extractBits(bits, s, e - s))
                    let r = try body(&x)
                    guard case .int(let nb) = x else {
                        throw RhaiError(.mismatchDataType, "Data type incorrect: \(x.typeName) (expecting i64)", at: pos)
                    }
                    v = .int(Library.insertBits(bits, s, e - s, nb))
                    return r
                }
                guard case .int(let n) = key else { throw Access.indexMismatch(key, expecting: "i64", pos) }
                guard last else { throw LValue.notAContainer(v, pos) }
                let bit = try Access.bitIndex(n, pos)
                var x = Dynamic.bool(bits & (1 << bit) != 0)
                let r = try body(&x)
                guard case .bool(let on) = x else {
                    throw RhaiError(.mismatchDataType, "Data type incorrect: \(x.typeName) (expecting bool)", at: pos)
                }
                v = .int(on ? bits | (1 << bit) : bits & ~(1 << bit))
                return r
            default:
                throw RhaiError(.indexingType, "Indexing is not supported for \(v.typeName)", at: pos)
            }
        case .property(let name, let pos, _):
            guard var m = v.takeMap() else {
                if v.isTagged { throw LValue.tagged }
                if last && assigns {
                    throw RhaiError(.dotExpr, "Cannot set property '\(name)' of a value of type '\(v.typeName)' (only object maps have writable properties)", at: pos)
                }
                var tmp = try Access.property(v, name, pos, i)
                return try walk(&tmp, k + 1, keys, i, body)
            }
            defer { v = .map(m) }
            return try walkMap(&m, name, k, keys, i, body, pos)
        }
    }

    /// A step below a character, byte or bit of an assignment chain.
    static func notAContainer(_ v: Dynamic, _ pos: Pos) -> RhaiError {
        RhaiError(.indexingType, "Indexing is not supported inside an element of \(v.typeName)", at: pos)
    }

    /// What the walk throws when it reaches a tagged value or index (never seen by scripts).
    static let tagged = RhaiError(.indexingType, "\u{0}tagged value in an assignment chain")

    /// The walk for chains that meet tags: a tagged value is walked as its value and keeps its tag, a
    /// `tag` property of a value that is not a map is its tag as an integer, and every other step
    /// is one step of the plain walk.
    private func mutateTagged(_ i: Interp, _ keys: [Dynamic], _ body: Body) throws(RhaiError) -> Dynamic {
        let checkData = i.checkRootData
        i.checkRootData = false
        let plainKeys = keys.map(\.plain)
        let rootOnly = LValue(root: root, steps: [], assigns: assigns)
        return try rootOnly.mutateWith(i, keys: []) { v throws(RhaiError) in
            let r = try walkTagged(&v, 0, plainKeys, i, body)
            if checkData, let first = steps.first { try i.checkDataSize(v, first.pos) }
            return r
        }
    }

    private func walkTagged(_ v: inout Dynamic, _ k: Int, _ keys: [Dynamic], _ i: Interp, _ body: Body) throws(RhaiError) -> Dynamic {
        if k == steps.count { return try body(&v) }
        if case .unit = v.plain, steps[k].isNullSafe { return .unit }
        if case .property("tag", let pos, _) = steps[k], !v.plain.isMap {
            let old = v.dynamicTag
            var tag = Dynamic.int(Int64(old))
            let r = try walkTagged(&tag, k + 1, keys, i, body)
            guard case .int(let n) = tag.plain else {
                throw RhaiError(.mismatchDataType, "Data type incorrect: \(tag.typeName) (expecting i64)", at: pos)
            }
            if n != Int64(old) {
                do throws(RhaiError) { v = v.withTag(try Library.tag(n)) } catch { throw error.at(pos) }
                i.madeTags = true
            }
            return r
        }
        if case .tagged(let t) = v {
            let tag = t.tag
            var inner = t.value
            v = .unit
            defer { v = inner.withTag(tag) }
            return try walkTagged(&inner, k, keys, i, body)
        }
        let step = LValue(root: root, steps: [steps[k]], assigns: k == steps.count - 1 ? assigns : false)
        return try step.walk(&v, 0, [keys[k]], i) { x throws(RhaiError) in try walkTagged(&x, k + 1, keys, i, body) }
    }

    private func walkMap(_ m: inout [String: Dynamic], _ name: String, _ k: Int, _ keys: [Dynamic], _ i: Interp,
                         _ body: Body, _ pos: Pos) throws(RhaiError) -> Dynamic {
        // one hash of the key: the entry is changed in place, or a new one is built and inserted
        if let at = m.index(forKey: name) {
            let r = try walk(&m.values[at], k + 1, keys, i, body)
            if i.checkSizes { try LValue.checkEntry(m.values[at], i, pos) }
            return r
        }
        if k < steps.count - 1, steps[k + 1].isNullSafe { return .unit }  // `m.missing?.x = …`: no action
        guard k == steps.count - 1 else {
            throw RhaiError(.propertyNotFound, "Property not found: \(name)", at: pos)
        }
        if m.count >= i.mapCap {
            throw RhaiError(.dataTooLarge, "Size of object map exceeds the maximum limit (\(i.mapCap))", at: pos)
        }
        var x = Dynamic.unit
        let r: Dynamic
        do throws(RhaiError) { r = try walk(&x, k + 1, keys, i, body) } catch {
            m[name] = x
            throw error
        }
        m[name] = x
        if i.checkSizes { try LValue.checkEntry(x, i, pos) }
        return r
    }

    /// The size checks of a value written into a map.
    @inline(__always) static func checkEntry(_ x: Dynamic, _ i: Interp, _ pos: Pos) throws(RhaiError) {
        switch x {
        case .int, .float, .bool, .unit, .char: return
        default:
            try i.checkSize(x, pos)
            try i.checkDataSize(x, pos)
        }
    }
}
