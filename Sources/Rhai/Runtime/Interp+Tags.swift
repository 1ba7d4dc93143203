extension Interp {
    /// A native call that no overload takes because some argument is tagged: retried with the tags
    /// removed, the first argument (the one a call may change) keeping its tag. Nil when nothing is tagged.
    func callUntagged(_ name: String, _ args: inout [Dynamic], pos: Pos) throws(RhaiError) -> Dynamic? {
        guard args.contains(where: \.isTagged) else { return nil }
        let tag = args.isEmpty ? 0 : args[0].dynamicTag
        var plainArgs = args.map(\.plain)
        defer {
            args = plainArgs
            if tag != 0 { args[0] = args[0].withTag(tag) }
        }
        return try callNative(name, &plainArgs, pos: pos)
    }
}
