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
        tags(&t)
        return t
    }()

    static let evalDenied = RhaiError(.runtime, "'eval' is not supported: scripts cannot evaluate code at run time")

    static func fail(_ msg: String, _ kind: RhaiError.Kind = .runtime) -> RhaiError { RhaiError(kind, msg) }
}
