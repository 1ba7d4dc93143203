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
        // as in Rhai, each operator of a chain nests one level: a long chain needs a higher limit
        #expect(scriptError("1" + String(repeating: " + 1", count: 1_000))?.kind == .parsing)
        #expect(try evalScript("1" + String(repeating: " + 1", count: 1_000), limits: Self.limits { $0.maxExpressionDepth = 0 }) == 1_001)
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

    // MARK: Rhai's limits as Rhai applies them (Rhai Book, safety/*.md)

    /// safety/max-array-size.md, safety/max-map-size.md, safety/max-string-size.md: the sizes count the
    /// nested contents of a value (Rhai's data size), however the value was built.
    @Test func sizeLimitsCountNestedContents() async {
        let arrays = Self.limits { $0.maxArraySize = 10 }
        let maps = Self.limits { $0.maxMapSize = 4 }
        let strings = Self.limits { $0.maxStringSize = 10 }
        let kinds = await errorKinds([
            ("[[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]]", arrays),
            ("let a = []; for i in 0..4 { a.push([1, 2, 3]); } a", arrays),
            ("let a = [[1, 2, 3]]; a += [[1, 2, 3], [1, 2, 3], [1, 2, 3]]; a", arrays),
            ("let a = [[1, 2, 3]]; let b = a + [[1, 2, 3], [1, 2, 3], [1, 2, 3]]; b", arrays),
            ("let m = #{}; m.a = [1, 2, 3, 4, 5, 6, 7, 8]; m.b = [1, 2, 3]; m", arrays),
            ("[blob(5), blob(5)]", arrays),
            ("#{ a: #{ b: 1, c: 2 }, d: #{ e: 1 } }", maps),
            ("let a = []; for i in 0..3 { a.push(#{ x: 1, y: 2 }); } a", maps),
            ("[\"abcdef\", \"ghijk\"]", strings),
            ("let a = []; a.push(\"abcdef\"); a.push(\"ghijk\"); a", strings),
            ("#{ a: \"abcdef\", b: [\"ghijk\"] }", strings),
        ])
        #expect(kinds == Array(repeating: .dataTooLarge, count: 11))
        let fits = await errorKinds([
            ("[[1, 2, 3], [1, 2, 3]]", arrays),  // 2 + 6 items
            ("let a = []; for i in 0..5 { a.push([i]); } a", arrays),
            ("#{ a: #{ b: 1 }, d: 2 }", maps),
            ("[\"abcde\", \"fghij\"]", strings),
            // a limit that is not configured is not counted through nesting
            ("let a = []; for i in 0..100 { a.push(\"abcdefghij\"); } a.len()", Self.limits { $0.maxArraySize = 1000 }),
        ])
        #expect(fits == Array(repeating: nil, count: 5))
    }

    /// Literals over a size limit are syntax errors (Rhai's LiteralTooLarge), before the script runs.
    @Test func literalsOverALimitAreSyntaxErrors() {
        #expect(scriptError("print(1); [1, 2, 3, 4]", limits: Self.limits { $0.maxArraySize = 3 })?.kind == .parsing)
        #expect(scriptError("[1, 2, 3]", limits: Self.limits { $0.maxArraySize = 3 }) == nil)
        #expect(scriptError("#{ a: 1, b: 2 }", limits: Self.limits { $0.maxMapSize = 1 })?.kind == .parsing)
        #expect(scriptError("\"abcdef\"", limits: Self.limits { $0.maxStringSize = 3 })?.kind == .parsing)
        #expect(scriptError("#\"abcdef\"#", limits: Self.limits { $0.maxStringSize = 3 })?.kind == .parsing)
        #expect(scriptError("`abcdef${1}`", limits: Self.limits { $0.maxStringSize = 3 })?.kind == .parsing)
        #expect(scriptError("\"abc\"", limits: Self.limits { $0.maxStringSize = 3 }) == nil)
    }

    /// safety/max-variables.md: variables in scope when a `let` runs; safety/max-functions.md: functions
    /// and closures a script defines; safety/max-stmt-depth.md: nesting inside function bodies.
    @Test func variablesFunctionsAndFunctionDepthAreLimited() {
        let vars = Self.limits { $0.maxVariables = 2 }
        #expect(scriptError("let a = 1; let b = 2; let c = 3;", limits: vars)?.kind == .tooManyVariables)
        #expect(scriptError("let a = 1; let b = 2; a + b", limits: vars) == nil)
        #expect(scriptError("let a = 1; { let b = 2; } { let c = 3; } a", limits: vars) == nil)
        #expect(scriptError("fn f(x, y) { let z = 1; z } f(1, 2)", limits: vars)?.kind == .tooManyVariables)
        // only when the `let` runs
        #expect(scriptError("let a = 1; let b = 2; if false { let c = 3; } a", limits: vars) == nil)
        let fns = Self.limits { $0.maxFunctions = 2 }
        #expect(scriptError("fn f() { 1 } fn g() { 2 } fn h() { 3 } 1", limits: fns)?.kind == .parsing)
        #expect(scriptError("fn f() { 1 } let g = || 2; let h = || 3; 1", limits: fns)?.kind == .parsing)
        #expect(scriptError("fn f() { 1 } fn g() { 2 } f() + g()", limits: fns) == nil)
        let depth = Self.limits { $0.maxFunctionExpressionDepth = 3 }
        #expect(scriptError("fn f() { ((((1)))) } f()", limits: depth)?.kind == .parsing)
        #expect(scriptError("fn f() { 1 } ((((((1))))))", limits: depth) == nil)
        #expect(scriptError("fn f() { 1 } f()", limits: depth) == nil)
        #expect(scriptError("fn f() { (1) } f()", limits: depth)?.kind == .parsing)
    }

    /// Rhai 1.26's parser nests a statement one level, its expression one more, and each operator of a
    /// chain one more: with a depth limit of N, a chain of N - 1 terms parses and one of N does not.
    @Test func operatorChainsCountTowardTheExpressionDepth() {
        func chain(_ n: Int) -> String { (1...n).map { String($0 % 10) }.joined(separator: " + ") }
        for limit in [32, 100] {
            let l = Self.limits { $0.maxExpressionDepth = limit }
            #expect(scriptError(chain(limit - 1), limits: l) == nil)
            #expect(scriptError(chain(limit), limits: l)?.kind == .parsing)
        }
        let inFunction = Self.limits { $0.maxExpressionDepth = 100; $0.maxFunctionExpressionDepth = 6 }
        #expect(scriptError("fn abc(x) { x + 1 } abc(1)", limits: inFunction) == nil)
    }

    /// Rhai 1.26 counts variables as its scope holds them: a `let` repeating a name of its own block
    /// reuses that variable; loop variables, a caught error's variable and a function's parameters count.
    @Test func variablesAreCountedAsRhaiCountsThem() {
        let vars = Self.limits { $0.maxVariables = 3 }
        #expect(scriptError("let a = 1; let b = 2; let c = 3; let a = 4; let b = 5; a + b", limits: vars) == nil)
        #expect(scriptError("let a = 1; let b = 2; let a = 3; let c = 4; a + c", limits: vars) == nil)
        #expect(scriptError("let a = 1; { let b = 2; let c = 3; let b = 4; } let d = 5; d", limits: vars) == nil)
        #expect(scriptError("let a = 1; let b = 2; let c = 3; { let a = 4; }", limits: vars)?.kind == .tooManyVariables)
        #expect(scriptError("let a = 1; let b = 2; for x in 0..2 {} a", limits: vars) == nil)
        #expect(scriptError("let a = 1; let b = 2; let c = 3; for x in 0..2 {} a", limits: vars)?.kind == .tooManyVariables)
        #expect(scriptError("let a = 1; let b = 2; for (x, i) in 0..2 {} a", limits: vars)?.kind == .tooManyVariables)
        #expect(scriptError("let a = 1; for (x, i) in 0..2 {} a", limits: vars) == nil)
        #expect(scriptError("let a = 1; let b = 2; let c = 3; try { throw 1 } catch (e) { } a", limits: vars)?.kind == .tooManyVariables)
        #expect(scriptError("let a = 1; let b = 2; let c = 3; try { 1 } catch (e) { } a", limits: vars) == nil)
        #expect(scriptError("let a = 1; let b = 2; let c = 3; try { throw 1 } catch { } a", limits: vars) == nil)
        #expect(scriptError("fn f(a, b, c, d) {} 1", limits: vars) == nil)
        #expect(scriptError("fn f(a, b, c, d) {} f(1, 2, 3, 4)", limits: vars)?.kind == .tooManyVariables)
        #expect(scriptError("fn f(a, b, c) { 0 } f(1, 2, 3)", limits: vars) == nil)
    }

    /// `circles run` sets Rhai's other limits like the rest.
    @Test(.enabled(if: CirclesBinary.isBuilt)) func circlesRunTakesRhaisLimits() async throws {
        let directory = try TemporaryDirectory.make(prefix: "rhai-limits")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let runs: [([String], String)] = [
            (["-e", "let a = 1; let b = 2; let c = 3;", "--max-variables", "2"], "ErrorTooManyVariables"),
            (["-e", "fn f() { 1 } fn g() { 2 } 1", "--max-functions", "1"], "ErrorParsing"),
            (["-e", "fn f() { ((((1)))) } 1", "--max-function-expression-depth", "2"], "ErrorParsing"),
            (["-e", "[[1, 2, 3], [1, 2, 3], [1, 2, 3]]", "--max-array-size", "10"], "ErrorDataTooLarge"),
        ]
        for (arguments, kind) in runs {
            let run = try CirclesBinary.start(["run", "--json"] + arguments, in: directory)
            let status = await BackgroundThread.run { run.process.wait() }
            #expect(ChildProcess.exitCode(of: status) == 1, "\(arguments)")
            #expect(CirclesBinary.read(run.out).contains(kind), "\(arguments): \(CirclesBinary.read(run.out))")
        }
        let fits = try CirclesBinary.start(["run", "-e", "let a = 1; a", "--max-variables", "2", "--max-functions", "1"], in: directory)
        let status = await BackgroundThread.run { fits.process.wait() }
        #expect(ChildProcess.exitCode(of: status) == 0)
    }
}
