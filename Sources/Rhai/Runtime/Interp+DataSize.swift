extension Interp {
    /// Whether a value is data that an insertion adds to a container's data size.
    @inline(__always) static func addsData(_ v: Dynamic) -> Bool {
        switch v {
        case .array, .map, .blob, .string, .shared, .tagged: true
        default: false
        }
    }

    /// Whether any argument after the first adds data to the first (`push(a, [1, 2])`).
    @inline(__always) static func insertsData(_ args: [Dynamic]) -> Bool {
        args.count > 1 && args.dropFirst().contains(where: addsData)
    }

    /// Rhai's data size limits, applied when a size limit is configured: the items of every array and
    /// BLOB inside `v` count toward `maxArraySize`, the properties of every map toward `maxMapSize` and the
    /// bytes of every string toward `maxStringSize`. The count stops at the first total over its limit.
    func checkDataSize(_ v: Dynamic, _ pos: Pos) throws(RhaiError) {
        guard checksDataSize, v.isContainer else { return }
        // only the configured limits count through nesting
        let arrayCap = limits.maxArraySize > 0 ? arrayCap : .max
        let mapCap = limits.maxMapSize > 0 ? mapCap : .max
        let stringCap = limits.maxStringSize > 0 ? stringCap : .max
        var arrays = 0, maps = 0, strings = 0
        var work: [Dynamic] = [v]
        var seen: Set<ObjectIdentifier> = []
        func add(_ item: Dynamic) {
            switch item {
            case .string(let s): strings += s.utf8.count
            case .blob(let b): arrays += b.count
            case .array, .map, .shared: work.append(item)
            case .tagged(let t): add(t.value)
            default: break
            }
        }
        while let x = work.popLast() {
            switch x {
            case .array(let a):
                arrays += a.count
                if arrays <= arrayCap { for item in a { add(item) } }
            case .map(let m):
                maps += m.count
                if maps <= mapCap { for item in m.values { add(item) } }
            case .shared(let box):
                if seen.insert(ObjectIdentifier(box)).inserted { add(box.value) }
            case .tagged(let t): add(t.value)
            default: break
            }
            if arrays > arrayCap {
                throw RhaiError(.dataTooLarge, "Size of array exceeds the maximum limit (\(arrayCap))", at: pos)
            }
            if maps > mapCap {
                throw RhaiError(.dataTooLarge, "Size of object map exceeds the maximum limit (\(mapCap))", at: pos)
            }
            if strings > stringCap {
                throw RhaiError(.dataTooLarge, "Length of string exceeds the maximum limit (\(stringCap))", at: pos)
            }
        }
    }
}
