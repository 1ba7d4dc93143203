/// Dynamic value tags (language/dynamic-tag.md): `tag(x)` / `x.tag`, `set_tag(x, n)` / `x.tag = n`.
extension Library {
    static func tags(_ t: inout NativeTable) {
        t.add("tag", [TypeMask.any]) { a, _ in .int(Int64(a[0].dynamicTag)) }
        t.add("set_tag", [TypeMask.any, TypeMask.int]) { a, i throws(RhaiError) in
            i.madeTags = true
            a[0] = a[0].withTag(try tag(a[1].i))
            return .unit
        }
    }

    /// A tag is a 32-bit integer; other values are an arithmetic error, as in Rhai.
    static func tag(_ n: Int64) throws(RhaiError) -> Int32 {
        if let t = Int32(exactly: n) { return t }
        let side = n < 0 ? "small" : "large"
        throw RhaiError(.arithmetic, "\(n) is too \(side) to fit into a tag (must be between \(Int32.min) and \(Int32.max))")
    }
}
