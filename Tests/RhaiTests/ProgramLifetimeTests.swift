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
            let ast = try Engine().compileOnCurrentThread(script, stackSize: 512 << 10)
            recursive = ast.program.functions["f"]?.first
            caller = ast.program.functions["g"]?.first
            main = ast.program.main
            #expect(recursive != nil && caller != nil && main != nil)
        }
        #expect(recursive == nil)
        #expect(caller == nil)
        #expect(main == nil)
    }

    /// A closure stored in the variable it captures is a cycle; the run breaks it when it ends.
    @Test func cyclesThroughCapturedVariablesAreFreedAfterTheRun() throws {
        final class Watch: @unchecked Sendable { weak var box: SharedValue? }
        let watch = Watch()
        let engine = Engine()
        engine.registerFunction("watch", arity: 1) { args in
            if case .fnPtr(let f) = args[0], case .shared(let box)? = f.captured.first { watch.box = box }
            return .unit
        }
        for script in ["let a = [1]; let f = || a; a.push(f); watch(f); 1",
                       "let f = 0; f = || f; watch(f); throw 1",
                       "let m = #{}; let f = || m; m.f = f; watch(f); m.f.call().f.call().len()"] {
            _ = try? engine.runOnCurrentThread(try engine.compileOnCurrentThread(script, stackSize: 512 << 10),
                                              scope: Scope(keepsVariables: false), output: OutputSink { _ in }, stackSize: 512 << 10)
            #expect(watch.box == nil, "\(script)")
        }
        // What the result reaches stays intact.
        let kept = try engine.run(try engine.compile("let a = [1]; let f = || a; a.push(f); a"), output: OutputSink { _ in })
        guard case .fnPtr(let f)? = kept.asArray?.last, case .shared(let box)? = f.captured.first else {
            Issue.record("no closure in \(kept)")
            return
        }
        #expect(box.value.asArray?.count == 2)
    }
}
