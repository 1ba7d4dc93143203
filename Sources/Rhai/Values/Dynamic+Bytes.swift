extension Dynamic {
    static let slotBytes = MemoryLayout<Dynamic>.stride
    /// Per-entry cost of a map beyond its value: the key's string and the hash table's share.
    static let mapEntryBytes = MemoryLayout<Dynamic>.stride + 32

    /// Strings up to this many UTF-8 bytes are stored inline, without an allocation.
    static let inlineStringBytes = 15

    /// Bytes this value's own storage holds, not counting what its elements hold.
    @inline(__always) var shallowBytes: Int {
        switch self {
        case .string(let s):
            let n = s.utf8.count
            return n > Dynamic.inlineStringBytes ? n : 0
        case .array(let a): return a.count &* Dynamic.slotBytes
        case .map(let m): return m.count &* Dynamic.mapEntryBytes
        case .blob(let b): return b.count
        default: return 0
        }
    }

    /// Where a value's own storage is and how big it is, to tell in-place growth from a fresh copy.
    struct Storage {
        var address: UInt = 0
        var bytes = 0
    }

    @inline(__always) var storage: Storage {
        switch self {
        case .string(let s):
            let n = s.utf8.count
            guard n > Dynamic.inlineStringBytes else { return Storage() }
            return Storage(address: s.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) } ?? 0, bytes: n)
        case .array(let a): return Storage(address: unsafeBitCast(a, to: UInt.self), bytes: a.count &* Dynamic.slotBytes)
        case .map(let m): return Storage(address: unsafeBitCast(m, to: UInt.self), bytes: m.count &* Dynamic.mapEntryBytes)
        case .blob(let b): return Storage(address: unsafeBitCast(b, to: UInt.self), bytes: b.count)
        default: return Storage()
        }
    }

    /// Bytes allocated since `before` was taken of this value: all of it when its storage moved (a
    /// copy or a reallocation, which doubles, so charging it whole stays proportional), else the growth.
    @inline(__always) func growth(from before: Storage) -> Int {
        let now = storage
        if now.bytes == 0 { return 0 }
        return now.address != before.address ? now.bytes : max(0, now.bytes &- before.bytes)
    }

    /// Whether the value can hold charged bytes (worth visiting when measuring).
    @inline(__always) var mayHoldBytes: Bool {
        switch self {
        case .string, .array, .map, .blob, .fnPtr, .shared, .tagged: true
        default: false
        }
    }

    /// What an operation that returned this value may have just allocated: its own storage and
    /// that of its direct elements (a split's strings, a map's values). Deeper levels were charged
    /// when they were built.
    var freshBytes: Int {
        switch self {
        case .array(let a):
            var n = a.count &* Dynamic.slotBytes
            for x in a { n &+= x.shallowBytes }
            return n
        case .map(let m):
            var n = m.count &* Dynamic.mapEntryBytes
            for x in m.values { n &+= x.shallowBytes }
            return n
        default: return shallowBytes
        }
    }

    /// Bytes held by `roots` and everything they reach, counting storage shared between values once
    /// (arrays, maps, BLOBs and strings are shared by copy-on-write). Iterative; stops early once the
    /// total passes `stopAbove`.
    static func liveBytes(_ roots: [Dynamic], stopAbove: Int = .max) -> Int {
        var total = 0
        var seen = Set<UInt>()
        var boxes = Set<ObjectIdentifier>()
        var work = roots
        while let v = work.popLast() {
            if total > stopAbove { return total }
            switch v {
            case .string(let s):
                let n = s.utf8.count
                guard n > Dynamic.inlineStringBytes else { continue }
                if let base = s.utf8.withContiguousStorageIfAvailable({ UInt(bitPattern: $0.baseAddress) }),
                   !seen.insert(base).inserted { continue }
                total &+= n
            case .array(let a):
                guard seen.insert(unsafeBitCast(a, to: UInt.self)).inserted else { continue }
                total &+= a.count &* slotBytes
                for x in a where x.mayHoldBytes { work.append(x) }
            case .map(let m):
                guard seen.insert(unsafeBitCast(m, to: UInt.self)).inserted else { continue }
                total &+= m.count &* mapEntryBytes
                for (k, x) in m {
                    if k.utf8.count > inlineStringBytes { total &+= k.utf8.count }
                    if x.mayHoldBytes { work.append(x) }
                }
            case .blob(let b):
                let id = b.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
                guard id == 0 || seen.insert(id).inserted else { continue }
                total &+= b.count
            case .fnPtr(let f):
                guard seen.insert(UInt(bitPattern: ObjectIdentifier(f).hashValue)).inserted else { continue }
                for x in f.curried where x.mayHoldBytes { work.append(x) }
                for x in f.captured where x.mayHoldBytes { work.append(x) }
            case .shared(let s):
                if boxes.insert(ObjectIdentifier(s)).inserted, s.value.mayHoldBytes { work.append(s.value) }
            case .tagged(let t):
                if boxes.insert(ObjectIdentifier(t)).inserted {
                    total &+= 32
                    if t.value.mayHoldBytes { work.append(t.value) }
                }
            default: break
            }
        }
        return total
    }
}
