/// What an engine's embedder gives `import`: where module sources come from, and where compiled
/// modules are kept between runs.
struct ModuleHooks: Sendable {
    typealias Resolver = @Sendable (String) -> String?
    typealias Cache = @Sendable (_ source: String, _ compile: () throws(RhaiError) -> AST) throws(RhaiError) -> AST

    var resolver: Resolver?
    var cache: Cache?
}
