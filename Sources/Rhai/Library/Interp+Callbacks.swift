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

    /// Calls a `reduce` accumulator with as many of (accumulated value, item, index) as it takes; one
    /// that takes only the accumulated value gets the item as `this`.
    func accumulate(_ fp: FnPtr, _ acc: Dynamic, _ item: Dynamic, _ index: Int) throws(RhaiError) -> Dynamic {
        switch Library.arity(fp, self, 3) {
        case 1:
            var this = item
            return try call(fp, this: &this, args: [acc], pos: .none)
        case 2: return try call(fp, [acc, item])
        default: return try call(fp, [acc, item, .int(Int64(index))])
        }
    }

    /// Calls a map callback: one taking only the key gets the value as `this`, others get (key, value).
    func keyed(_ fp: FnPtr, _ key: String, _ value: Dynamic) throws(RhaiError) -> Dynamic {
        if Library.arity(fp, self, 2) == 1 {
            var this = value
            return try call(fp, this: &this, args: [.string(key)], pos: .none)
        }
        return try call(fp, [.string(key), value])
    }

    /// A callback's answer as a condition: anything but a bool counts as false, as Rhai's array
    /// functions take it (`as_bool().unwrap_or(false)`).
    func predicate(_ fp: FnPtr, _ item: Dynamic, _ index: Int) throws(RhaiError) -> Bool {
        if case .bool(let b) = try callback(fp, item, index).plain { return b }
        return false
    }
}
