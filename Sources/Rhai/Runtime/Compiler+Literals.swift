extension Compiler {
    /// Interpolated strings, array and map literals, closures.
    func compileLiteral(_ e: Expr) -> Code {
        switch e {
        case .interpolated(let parts, let pos):
            let codes = parts.map { Node(run: compile($0)) }
            return { i throws(RhaiError) in
                var s = ""
                for c in codes {
                    switch try c.run(i) {
                    case .string(let t): s += t
                    case .blob(let b): s += String(decoding: b, as: UTF8.self)  // a BLOB is UTF-8 text here
                    case let v: s += try i.text(v, used: s.utf8.count)
                    }
                }
                let r = Dynamic.string(s)
                if i.checkSizes { try i.checkSize(r, pos) }
                try i.charge(r.shallowBytes, pos)
                return r
            }
        case .array(let items, let pos):
            let codes = items.map { Node(run: compile($0)) }
            return { i throws(RhaiError) in
                var a: [Dynamic] = []
                a.reserveCapacity(codes.count)
                // Items built so far are reachable from nowhere else: pinned while the rest are built.
                var held = 0
                defer { i.pinned -= held }
                for c in codes {
                    let v = try c.run(i)
                    try i.checkNesting(v, pos)
                    let n = v.shallowBytes
                    held += n
                    i.pinned += n
                    a.append(v)
                }
                let r = Dynamic.array(a)
                if i.checkSizes { try i.checkSize(r, pos) }
                if i.checksDataSize { try i.checkDataSize(r, pos) }
                try i.charge(r.shallowBytes, pos)
                return r
            }
        case .map(let items, let pos):
            let codes = items.map { ($0.0, compile($0.1)) }
            return { i throws(RhaiError) in
                var m: [String: Dynamic] = [:]
                m.reserveCapacity(codes.count)
                var held = 0
                defer { i.pinned -= held }
                for (k, c) in codes {
                    let v = try c(i)
                    try i.checkNesting(v, pos)
                    let n = v.shallowBytes
                    held += n
                    i.pinned += n
                    m[k] = v
                }
                let r = Dynamic.map(m)
                if i.checkSizes { try i.checkSize(r, pos) }
                if i.checksDataSize { try i.checkDataSize(r, pos) }
                try i.charge(r.shallowBytes, pos)
                return r
            }
        case .closure(let fn, let captures, let pos):
            compileFunction(fn)
            let outer = captures.map(\.outerSlot)
            // Rhai captures every outside name a closure reads (not a function's name): it must exist now
            let free = fn.freeNames.filter { functions[$0.0] == nil }
            return { i throws(RhaiError) in
                for (name, p) in free where i.scope.index(of: name) == nil {
                    throw RhaiError(.variableNotFound, "Variable not found: \(name)", at: p)
                }
                var caps: [Dynamic] = []
                caps.reserveCapacity(outer.count)
                for slot in outer {
                    let idx = i.base &+ slot
                    if case .shared = i.stack[idx] {
                        caps.append(i.stack[idx])
                    } else {
                        let shared = SharedValue(i.stack[idx])
                        i.track(shared)
                        let box = Dynamic.shared(shared)
                        i.stack[idx] = box
                        caps.append(box)
                    }
                }
                let fp = Dynamic.fnPtr(FnPtr(name: fn.name, function: fn, captured: caps))
                try i.checkNesting(fp, pos)
                return fp
            }
        default:
            preconditionFailure("not a literal: \(e)")
        }
    }
}
