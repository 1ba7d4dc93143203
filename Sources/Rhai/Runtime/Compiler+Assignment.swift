extension Compiler {
    func compileAssign(_ target: Expr, _ op: BinOp?, _ rc: @escaping Code, _ pos: Pos) -> Code {
        if case .local(let slot, _) = target {
            guard let op else {
                return { i throws(RhaiError) in
                    let v = try rc(i)
                    i.setLocal(slot, v)
                    return .unit
                }
            }
            return { i throws(RhaiError) in
                let rhs = try rc(i)
                let idx = i.base &+ slot
                if case .int(let x) = i.stack[idx], case .int(let y) = rhs {
                    i.stack[idx] = try Ops.intOp(op, x, y, pos)
                    return .unit
                }
                var v = i.stack[idx]
                if case .shared(let box) = v {
                    v = .unit
                    var inner = box.value
                    defer { box.value = inner }
                    try Ops.compound(op, &inner, rhs, pos, i)
                    return .unit
                }
                i.stack[idx] = .unit
                defer { i.stack[i.base &+ slot] = v }
                try Ops.compound(op, &v, rhs, pos, i)
                return .unit
            }
        }
        let lv = lvalue(target)!
        if case .global(let name, _) = lv.root {
            return { i throws(RhaiError) in
                let rhs = try rc(i)
                if i.scope.isConstant(name) {
                    throw RhaiError(.assignmentToConstant, "Cannot modify constant \(name)", at: pos)
                }
                i.checkRootData = i.checksDataSize && Interp.addsData(rhs)
                return try lv.mutate(i) { v throws(RhaiError) in
                    if let op { try Ops.compound(op, &v, rhs, pos, i) } else { v = rhs }
                    return .unit
                }
            }
        }
        if case .index(.index(.local(let slot, _), let outerExpr, .none, let opos), let idxExpr, .none, let ipos) = target {
            // `a[k1][k2] = v` / `a[k1][k2] op= v` on a local array of arrays: the row changes in place
            let oc = compile(outerExpr), ic = compile(idxExpr)
            return { i throws(RhaiError) in
                let rhs = try rc(i)
                try i.checkNesting(rhs, pos)
                let outerKey = try oc(i), key = try ic(i)
                let idx = i.base &+ slot
                if case .int(let n1) = outerKey, case .int(let n2) = key, var a = i.stack[idx].takeArray() {
                    let k1: Int
                    do throws(RhaiError) { k1 = try Access.arrayIndex(n1, a.count, opos) } catch {
                        i.stack[idx] = .array(a)
                        throw error
                    }
                    if var row = a[k1].takeArray() {
                        do {
                            defer {
                                a[k1] = .array(row)
                                i.stack[idx] = .array(a)
                            }
                            let k2 = try Access.arrayIndex(n2, row.count, ipos)
                            if let op { try Ops.compound(op, &row[k2], rhs, pos, i) } else { row[k2] = rhs }
                        }
                        if i.checksDataSize, Interp.addsData(rhs) { try i.checkDataSize(i.stack[idx], opos) }
                        return .unit
                    }
                    i.stack[idx] = .array(a)
                }
                i.checkRootData = i.checksDataSize && Interp.addsData(rhs)
                return try lv.mutate(i, keys: [outerKey, key]) { v throws(RhaiError) in
                    if let op { try Ops.compound(op, &v, rhs, pos, i) } else { v = rhs }
                    return .unit
                }
            }
        }
        if case .index(.local(let slot, _), let idxExpr, .none, let ipos) = target {
            // `a[k] = v` / `a[k] op= v` on a local array: no key array, no walk
            let ic = compile(idxExpr)
            return { i throws(RhaiError) in
                let rhs = try rc(i)
                try i.checkNesting(rhs, pos)
                let key = try ic(i)
                let idx = i.base &+ slot
                if case .int(let n) = key, var a = i.stack[idx].takeArray() {
                    defer { i.stack[idx] = .array(a) }
                    let k = try Access.arrayIndex(n, a.count, ipos)
                    if let op { try Ops.compound(op, &a[k], rhs, pos, i) } else { a[k] = rhs }
                    if i.checksDataSize, Interp.addsData(rhs) { try i.checkDataSize(.array(a), pos) }
                    return .unit
                }
                if case .string(let name) = key, var m = i.stack[idx].takeMap() {
                    // one hash of the key: the entry changes in place, or a new one is inserted
                    do {
                        defer { i.stack[idx] = .map(m) }
                        if let at = m.index(forKey: name) {
                            if let op { try Ops.compound(op, &m.values[at], rhs, pos, i) } else { m.values[at] = rhs }
                            if i.checkSizes { try LValue.checkEntry(m.values[at], i, ipos) }
                        } else {
                            if m.count >= i.mapCap {
                                throw RhaiError(.dataTooLarge, "Size of object map exceeds the maximum limit (\(i.mapCap))", at: ipos)
                            }
                            var x = Dynamic.unit
                            do throws(RhaiError) {
                                if let op { try Ops.compound(op, &x, rhs, pos, i) } else { x = rhs }
                            } catch {
                                m[name] = x
                                throw error
                            }
                            m[name] = x
                            if i.checkSizes { try LValue.checkEntry(x, i, ipos) }
                        }
                    }
                    if i.checksDataSize, Interp.addsData(rhs) { try i.checkDataSize(i.stack[idx], ipos) }
                    return .unit
                }
                i.checkRootData = i.checksDataSize && Interp.addsData(rhs)
                return try lv.mutate(i, keys: [key]) { v throws(RhaiError) in
                    if let op { try Ops.compound(op, &v, rhs, pos, i) } else { v = rhs }
                    return .unit
                }
            }
        }
        return { i throws(RhaiError) in
            let rhs = try rc(i)
            try i.checkNesting(rhs, pos)
            i.checkRootData = i.checksDataSize && Interp.addsData(rhs)
            return try lv.mutate(i) { v throws(RhaiError) in
                if let op { try Ops.compound(op, &v, rhs, pos, i) } else { v = rhs }
                return .unit
            }
        }
    }

    func lvalue(_ e: Expr) -> LValue? {
        var steps: [LValue.Step] = []
        var cur = e
        while true {
            switch cur {
            case .index(let base, let idx, let nullSafe, let pos):
                steps.append(.index(compile(idx), pos, nullSafe: nullSafe))
                cur = base
            case .property(let base, let name, let nullSafe, let pos):
                steps.append(.property(name, pos, nullSafe: nullSafe))
                cur = base
            case .local(let slot, _):
                return LValue(root: .local(slot), steps: steps.reversed())
            case .this(let pos):
                return LValue(root: .this(pos), steps: steps.reversed())
            case .global(let name, let pos):
                return LValue(root: .global(name, pos), steps: steps.reversed())
            case .globalConst(let name, let pos):
                if let slot = topLevel[name] { return LValue(root: .absolute(slot), steps: steps.reversed()) }
                return LValue(root: .global(name, pos), steps: steps.reversed())
            default:
                return nil
            }
        }
    }
}
