import Foundation
import Rhai
import Testing

/// Hostile scripts hit a limit and fail with its error; the host keeps running.
@Suite struct LimitsTests {
    static func limits(_ configure: (inout Limits) -> Void) -> Limits {
        var l = Limits()
        configure(&l)
        return l
    }

    @Test func infiniteLoopStopsAtMaxOperations() {
        let l = Self.limits { $0.maxOperations = 10_000 }
        #expect(scriptError("loop {}", limits: l)?.kind == .tooManyOperations)
        #expect(scriptError("while true { let x = 1; }", limits: l)?.kind == .tooManyOperations)
        #expect(scriptError("fn f() { for i in 0..1000000 {} } f()", limits: l)?.kind == .tooManyOperations)
        #expect(scriptError("[1, 2, 3].map(|x| { loop {} })", limits: l)?.kind == .tooManyOperations)
        #expect(scriptError("let s = 0; for i in 0..100 { s += i; } s", limits: l) == nil)
    }

    @Test func operationLimitCannotBeCaught() {
        let l = Self.limits { $0.maxOperations = 1_000 }
        #expect(scriptError("try { loop {} } catch { 1 }", limits: l)?.kind == .tooManyOperations)
    }

    @Test func runawayRecursionIsAStackOverflow() {
        #expect(scriptError("fn f(x) { f(x + 1) } f(0)")?.kind == .stackOverflow)
        #expect(scriptError("fn f(x) { x + f(x) } f(0)", limits: Self.limits { $0.maxCallDepth = 10 })?.kind == .stackOverflow)
        #expect(scriptError("fn f(n) { if n == 0 { 0 } else { 1 + f(n - 1) } } f(50)") == nil)
    }

    @Test func recursionWithoutADepthLimitStillStopsBeforeTheNativeStackEnds() {
        let l = Self.limits { $0.maxCallDepth = 0 }
        #expect(scriptError("fn f(x) { f(x + 1) } f(0)", limits: l)?.kind == .stackOverflow)
        #expect(scriptError("let f = |g| g.call(g); f.call(f)", limits: l)?.kind == .stackOverflow)
    }

    @Test func stringDoublingHitsTheSizeLimit() {
        let l = Self.limits { $0.maxStringSize = 1 << 20 }
        #expect(scriptError(#"let s = "x"; loop { s += s; }"#, limits: l)?.kind == .dataTooLarge)
        #expect(scriptError(#"let s = "x"; loop { s = s + s; }"#, limits: l)?.kind == .dataTooLarge)
        #expect(scriptError(#"let s = "x"; loop { s = `${s}${s}`; }"#, limits: l)?.kind == .dataTooLarge)
        #expect(scriptError(#"let s = ""; s.pad(10000000, "x");"#, limits: l)?.kind == .dataTooLarge)
    }

    @Test func hugeArraysAndMapsHitTheirLimits() {
        let l = Self.limits { $0.maxArraySize = 10_000; $0.maxMapSize = 1_000 }
        #expect(scriptError("let a = []; loop { a.push(1); }", limits: l)?.kind == .dataTooLarge)
        #expect(scriptError("let a = [1]; loop { a += a; }", limits: l)?.kind == .dataTooLarge)
        #expect(scriptError("let a = []; a.pad(1000000000, 0);", limits: l)?.kind == .dataTooLarge)
        #expect(scriptError("let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; }", limits: l)?.kind == .dataTooLarge)
        // even without limits, one allocation cannot ask for absurd sizes
        #expect(scriptError("let a = []; a.pad(1000000000000, 0);")?.kind == .dataTooLarge)
        #expect(scriptError("blob(100000000000)")?.kind == .dataTooLarge)
        // doubling without configured limits stops at the hard caps instead of exhausting memory
        #expect(scriptError("let a = [1]; loop { a += a; }")?.kind == .dataTooLarge)
        #expect(scriptError(#"let s = "ab"; loop { s += s; }"#)?.kind == .dataTooLarge)
    }

    @Test func deeplyNestedSourceIsAParseError() throws {
        for (open, close) in [("(", ")"), ("[", "]"), ("{", "}"), ("-", ""), ("#{a:", "}"), ("if true {", "}")] {
            let depth = 100_000
            let source = String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth)
            #expect(scriptError(source)?.kind == .parsing, "\(open)")
            #expect(scriptError(source, limits: Self.limits { $0.maxExpressionDepth = 0 })?.kind == .parsing, "\(open) unlimited")
        }
        #expect(scriptError("((((((((((1))))))))))") == nil)
        #expect(scriptError("1" + String(repeating: " + 1", count: 100_000))?.kind == .parsing)
        #expect(try evalScript("1" + String(repeating: " + 1", count: 1_000)) == 1_001)
        #expect(try evalScript("let x = 0;" + String(repeating: " x += 1;", count: 20_000) + " x") == 20_000)
    }

    @Test func cancellationStopsARunFromAnotherThread() throws {
        let engine = Engine()
        let ast = try engine.compile(#"print("started"); loop { }"#)
        let cancellation = Cancellation()
        let sink = OutputSink { _ in cancellation.cancel() }
        do {
            _ = try engine.run(ast, scope: Scope(), output: sink, cancellation: cancellation)
            Issue.record("the loop should have been cancelled")
        } catch {
            #expect(error.kind == .terminated)
        }
    }

    /// Deep data would overflow the native stack when freed or printed: nesting is capped.
    @Test func deeplyNestedDataIsRejected() {
        for script in [
            "let a = []; for i in 0..3000 { a = [a]; }",
            "let a = []; for i in 0..3000 { let b = []; b.push(a); a = b; }",
            "let m = #{}; for i in 0..3000 { m = #{a: m}; }",
            "let a = [1]; for i in 0..3000 { a = [a, a]; }",
            "let f = || 0; for i in 0..3000 { let g = f; f = || g.call(); }",
            "let a = []; for i in 0..3000 { let b = [0]; b[0] = a; a = b; }",
        ] {
            #expect(scriptError(script)?.kind == .dataTooLarge, "\(script)")
        }
        #expect(scriptError("let a = []; for i in 0..100 { a = [a]; } debug(a);") == nil)
        #expect(scriptError("let f = || 0; f = || f.call(); f.call()")?.kind == .stackOverflow)
    }
}
