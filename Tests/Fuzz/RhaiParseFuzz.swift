/// libFuzzer harness: lexes, parses and compiles arbitrary bytes as a Rhai script. Any input must end
/// in an AST or a `RhaiError`; a crash, hang or sanitizer report is a finding.
/// Built by scripts/fuzz.sh together with the sources of Sources/Rhai as one module.
@_cdecl("LLVMFuzzerTestOneInput")
public func rhaiParseFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let script = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let engine = FuzzEngine.shared
    if let ast = try? engine.compileOnCurrentThread(script, stackSize: 8 << 20) {
        _ = try? engine.runOnCurrentThread(ast, output: OutputSink { _ in }, stackSize: 8 << 20)
    }
    return 0
}

enum FuzzEngine {
    /// Small limits: a run of a fuzzed script is bounded in operations, sizes and memory.
    static let shared: Engine = {
        let engine = Engine()
        var limits = Limits.untrusted
        limits.maxOperations = 20_000
        limits.maxStringSize = 1 << 16
        limits.maxArraySize = 1 << 12
        limits.maxMapSize = 1 << 12
        engine.limits = limits
        return engine
    }()
}
