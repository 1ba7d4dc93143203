@testable import Rhai
import Testing

/// Compiled functions reference each other through their code; the cycle must not outlive the AST,
/// or every distinct script a node compiles stays in memory (found by fuzzing with LeakSanitizer).
@Suite struct ProgramLifetimeTests {
    @Test func aDroppedASTFreesItsFunctions() throws {
        weak var recursive: ScriptFunction?
        weak var caller: ScriptFunction?
        weak var main: ScriptFunction?
        do {
            let script = "fn f(n) { if n > 0 { f(n - 1) } else { g() } } fn g() { let h = |x| f(x); h.call(0) } f(3)"
            let ast = try Engine().compile(script)
            recursive = ast.program.functions["f"]?.first
            caller = ast.program.functions["g"]?.first
            main = ast.program.main
            #expect(recursive != nil && caller != nil && main != nil)
        }
        #expect(recursive == nil)
        #expect(caller == nil)
        #expect(main == nil)
    }
}
