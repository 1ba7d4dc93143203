import Foundation
import Rhai
import TestSupport
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

    @Test func recursionWithoutADepthLimitStillStopsBeforeTheNativeStackEnds() async {
        let l = Self.limits { $0.maxCallDepth = 0 }
        let kinds = await errorKinds([("fn f(x) { f(x + 1) } f(0)", l), ("let f = |g| g.call(g); f.call(f)", l)])
        #expect(kinds == [.stackOverflow, .stackOverflow])
    }

    @Test func stringDoublingHitsTheSizeLimit() {
        let l = Self.limits { $0.maxStringSize = 1 << 20 }
        #expect(scriptError(#"let s = "x"; loop { s += s; }"#, limits: l)?.kind == .dataTooLarge)
        #expect(scriptError(#"let s = "x"; loop { s = s + s; }"#, limits: l)?.kind == .dataTooLarge)
        #expect(scriptError(#"let s = "x"; loop { s = `${s}${s}`; }"#, limits: l)?.kind == .dataTooLarge)
        #expect(scriptError(#"let s = ""; s.pad(10000000, "x");"#, limits: l)?.kind == .dataTooLarge)
    }

    @Test func hugeArraysAndMapsHitTheirLimits() async {
        let l = Self.limits { $0.maxArraySize = 10_000; $0.maxMapSize = 1_000 }
        let none = Limits()
        let kinds = await errorKinds([
            ("let a = []; loop { a.push(1); }", l),
            ("let a = [1]; loop { a += a; }", l),
            ("let a = []; a.pad(1000000000, 0);", l),
            ("let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; }", l),
            // even without limits, one allocation cannot ask for absurd sizes
            ("let a = []; a.pad(1000000000000, 0);", none),
            ("blob(100000000000)", none),
            // doubling without configured limits stops at the hard caps instead of exhausting memory
            ("let a = [1]; loop { a += a; }", none),
            (#"let s = "ab"; loop { s += s; }"#, none),
        ])
        #expect(kinds == Array(repeating: .dataTooLarge, count: 8))
    }

    @Test func deeplyNestedSourceIsAParseError() async throws {
        var runs: [(String, Limits)] = []
        for (open, close) in [("(", ")"), ("[", "]"), ("{", "}"), ("-", ""), ("#{a:", "}"), ("if true {", "}")] {
            let depth = 100_000
            let source = String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth)
            runs.append((source, Limits()))
            runs.append((source, Self.limits { $0.maxExpressionDepth = 0 }))
        }
        runs.append(("1" + String(repeating: " + 1", count: 100_000), Limits()))
        let kinds = await errorKinds(runs)
        #expect(kinds == Array(repeating: .parsing, count: runs.count))
        #expect(scriptError("((((((((((1))))))))))") == nil)
        #expect(try evalScript("1" + String(repeating: " + 1", count: 1_000)) == 1_001)
        let long = "let x = 0;" + String(repeating: " x += 1;", count: 20_000) + " x"
        #expect(try await BackgroundThread.run { try evalScript(long) } == 20_000)
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
    @Test func deeplyNestedDataIsRejected() async {
        let scripts = [
            "let a = []; for i in 0..3000 { a = [a]; }",
            "let a = []; for i in 0..3000 { let b = []; b.push(a); a = b; }",
            "let m = #{}; for i in 0..3000 { m = #{a: m}; }",
            "let a = [1]; for i in 0..3000 { a = [a, a]; }",
            "let f = || 0; for i in 0..3000 { let g = f; f = || g.call(); }",
            "let a = []; for i in 0..3000 { let b = [0]; b[0] = a; a = b; }",
        ]
        let kinds = await errorKinds(scripts.map { ($0, Limits()) })
        #expect(kinds == Array(repeating: .dataTooLarge, count: scripts.count))
        #expect(scriptError("let a = []; for i in 0..100 { a = [a]; } debug(a);") == nil)
        #expect(scriptError("let f = || 0; f = || f.call(); f.call()")?.kind == .stackOverflow)
    }
}
