import Foundation
import Rhai
import TestSupport
import Threads
import Testing

/// Hostile scripts and values at the edges of the engine's bounds: recursion (lexer, parser, compiler,
/// rendering, JSON), the per-run memory budget, the output cap and operation charging for native work.
/// Scripts compile and run as the node runs them: on the calling thread of a dedicated thread with a
/// fixed stack (smaller than the node's), so a stack overflow crashes the test run.
@Suite struct BoundsTests {
    static let nodeLimits: Limits = {
        var l = Limits.untrusted
        l.maxOperations = 0
        return l
    }()

    /// The node's limits without string and array sizes, which count through nesting (Rhai's data size)
    /// and would stop the scripts below before the budget under test.
    static let budgetLimits: Limits = {
        var l = nodeLimits
        l.maxStringSize = 0
        l.maxArraySize = 0
        return l
    }()

    /// Compiles and runs `script` on a fresh thread of `stackSize` bytes, as the node's workers do.
    static func onScriptThread(_ script: String, limits: Limits = nodeLimits, stackSize: Int = 16 << 20,
                               output: OutputSink = OutputSink { _ in }, cancellation: Cancellation? = nil) async -> Result<Dynamic, RhaiError> {
        await onThread(stackSize: stackSize) {
            let engine = Engine()
            engine.limits = limits
            do throws(RhaiError) {
                let ast = try engine.compileOnCurrentThread(script, stackSize: stackSize)
                return .success(try engine.runOnCurrentThread(ast, output: output, cancellation: cancellation, stackSize: stackSize))
            } catch {
                return .failure(error)
            }
        }
    }

    static func failure(_ r: Result<Dynamic, RhaiError>) -> RhaiError? {
        if case .failure(let e) = r { return e }
        return nil
    }

    // MARK: recursion

    /// The reported crash: ~57,000 nested template interpolations (a 290 KB script) recursed in the lexer.
    @Test func deeplyNestedTemplateInterpolationsAreAParseError() async throws {
        let depth = 57_000
        let script = String(repeating: "`${", count: depth) + "1" + String(repeating: "}`", count: depth)
        #expect(script.utf8.count >= 285_000)
        var unlimited = Self.nodeLimits
        unlimited.maxExpressionDepth = 0
        for limits in [Self.nodeLimits, unlimited] {
            let error = Self.failure(await Self.onScriptThread(script, limits: limits))
            #expect(error?.kind == .parsing)
        }
        let shallow = String(repeating: "`${", count: 10) + "1" + String(repeating: "}`", count: 10)
        #expect(try await Self.onScriptThread(shallow).get() == "1")
    }

    @Test func deeplyNestedSourceWithoutADepthLimitIsStillBounded() async {
        var unlimited = Self.nodeLimits
        unlimited.maxExpressionDepth = 0
        for (open, close) in [("(", ")"), ("[", "]"), ("{", "}"), ("-", ""), ("#{a:", "}"), ("if true {", "}"), ("`${", "}`")] {
            let script = String(repeating: open, count: 5_000) + "1" + String(repeating: close, count: 5_000)
            #expect(Self.failure(await Self.onScriptThread(script, limits: unlimited))?.kind == .parsing, "\(open)")
        }
        // Just under the hard depth: compiled and run (or refused) on a 16 MiB stack, never a crash.
        for (open, close) in [("(", ")"), ("[", "]"), ("{", "}"), ("-", ""), ("#{a:", "}"), ("if true {", "}"),
                              ("`${", "}`"), ("(|| ", ")"), ("!", "")] {
            let script = String(repeating: open, count: 2_000) + "1" + String(repeating: close, count: 2_000)
            let result = await Self.onScriptThread(script, limits: unlimited)
            if case .failure(let error) = result {
                #expect([.parsing, .stackOverflow, .dataTooLarge, .mismatchDataType, .functionNotFound].contains(error.kind), "\(open): \(error)")
            }
        }
    }

    /// Values may nest at most 1,000 deep whatever builds them, so freeing them cannot overflow the stack.
    @Test func deepDataBuiltInALoopIsRejectedBeforeItCanBeFreed() async {
        let scripts = [
            "let a = []; for i in 0..1000000 { a = [a]; }",
            "fn wrap(x) { let b = []; push(b, x); b } let a = []; for i in 0..1000000 { a = wrap(a); }",
            "let a = []; for i in 0..1000000 { let b = [0]; b.insert(0, a); a = b; }",
            "let a = []; for i in 0..1000000 { a = [0].map(|x| a); }",
            "let m = #{}; for i in 0..1000000 { let n = #{}; n.x = m; m = n; }",
        ]
        for script in scripts {
            #expect(Self.failure(await Self.onScriptThread(script))?.kind == .dataTooLarge, "\(script)")
        }
    }

    /// Rendering uses a work list, not recursion: the deepest value a script may build renders on a tiny stack.
    @Test func renderingDeepValuesNeedsNoStack() async {
        var v = Dynamic.array([1])
        for k in 0..<999 { v = k % 2 == 0 ? .array([v, 2]) : ["k": v] }
        // The value is freed here, not on the small thread (freeing it recurses).
        let box = Holder(v)
        v = .unit
        let lengths = await onThread(stackSize: 64 << 10) {
            let deep = box.value
            return [deep.description.utf8.count, deep.debugDescription.utf8.count,
                    (try? deep.jsonText(limit: .max, maxDepth: .max))?.utf8.count ?? -1]
        }
        box.value = .unit
        #expect(lengths.allSatisfy { $0 > 3_000 })
    }

    /// Found by fuzzing: a script ending inside an escape (`"\`, two bytes) read past its end.
    @Test func scriptsEndingInsideAnEscapeAreParseErrors() async {
        for script in [#""\"#, #"'\"#, #""abc\"#, #""\u12"#, #"'\x"#, "`a${\"\\"] {
            #expect(Self.failure(await Self.onScriptThread(script))?.kind == .parsing, "\(script)")
        }
    }

    // MARK: JSON depth

    @Test func jsonWriterRefusesWhatTheParserCannotReadBack() async throws {
        #expect(Dynamic.maxJSONDepth == 128)
        func nested(_ n: Int) -> String { String(repeating: "[", count: n) + String(repeating: "]", count: n) }
        let ok = "let a = []; for i in 0..127 { a = [a]; } to_json(a)"
        #expect(try Dynamic.parseJSON(try await Self.onScriptThread(ok).get().asString ?? "").jsonText(limit: 1_000) == nested(128))
        let tooDeep = "let a = []; for i in 0..128 { a = [a]; } to_json(a)"
        #expect(Self.failure(await Self.onScriptThread(tooDeep))?.kind == .dataTooLarge)
        let mapTooDeep = "let a = #{}; for i in 0..128 { a = #{a: a}; } to_json(a)"
        #expect(Self.failure(await Self.onScriptThread(mapTooDeep))?.kind == .dataTooLarge)

        let parsed = try Dynamic.parseJSON(nested(128))
        #expect(try parsed.jsonText(limit: 1_000) == nested(128))
        #expect(throws: RhaiError.self) { try Dynamic.parseJSON(nested(129)) }
        #expect(throws: RhaiError.self) { try Dynamic.array([parsed]).jsonText(limit: 1_000) }
        // Found by fuzzing: a high surrogate followed by a non-surrogate escape overflowed (a trap).
        for bad in [#""\ud83d\ud00e""#, #""\ud800""#, #""\ud800x""#, #""\udc00""#, #""\u+123""#, "1e999"] {
            #expect(throws: RhaiError.self, "\(bad)") { try Dynamic.parseJSON(bad) }
        }
        #expect(try Dynamic.parseJSON(#""\ud83d\ude00\u00e9""#) == "😀é")
        // Hostile depth fails cleanly even on a small stack.
        let hostile = String(repeating: "[", count: 1_000_000)
        let failed = await onThread(stackSize: 1 << 20) { (try? Dynamic.parseJSON(hostile)) == nil }
        #expect(failed)
    }

    // MARK: output cap

    /// A 76-byte script returning 300 references to one 1 MiB string would render as 314 MB.
    @Test func renderingStopsAtTheOutputCapWhileItRuns() async throws {
        let build = #"let s = "x"; s.pad(1048576, "y"); let a = []; for i in 0..300 { a.push(s) } "#
        let value = try await Self.onScriptThread(build + "a", limits: Self.budgetLimits).get()
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: RhaiError.self) { try value.text(limit: 4 << 20) }
        #expect(throws: RhaiError.self) { try value.jsonText(limit: 4 << 20) }
        #expect(clock.now - start < .seconds(10))
        #expect(try Dynamic.array(["a", 1]).text(limit: 8) == #"["a", 1]"#)
        #expect(throws: RhaiError.self) { try Dynamic.array(["a", 1]).text(limit: 7) }

        var limits = Self.budgetLimits
        limits.maxOutput = 4 << 20
        for tail in ["print(a)", "debug(a)", "to_string(a)", "to_json(a)", "`${a}`", #""" + a"#, "let t = \"\"; t += a;"] {
            let error = Self.failure(await Self.onScriptThread(build + tail, limits: limits))
            #expect(error?.kind == .dataTooLarge, "\(tail)")
        }
        // A thrown value's message is cut; the value itself is whole.
        let thrown = Self.failure(await Self.onScriptThread(build + "throw a;", limits: limits))
        #expect(thrown?.kind == .runtime)
        #expect((thrown?.message.utf8.count ?? .max) <= 64 << 10 + 3)
        #expect(thrown?.value.asArray?.count == 300)
        // print and debug share one budget across the run.
        limits.maxOutput = 50_000
        let chatty = #"for i in 0..10000 { print("0123456789") }"#
        #expect(Self.failure(await Self.onScriptThread(chatty, limits: limits))?.kind == .dataTooLarge)
        limits.maxOutput = 200_000
        #expect(Self.failure(await Self.onScriptThread(chatty, limits: limits)) == nil)
    }

    // MARK: memory budget

    @Test func memoryBudgetStopsARunThatHoldsTooMuch() async {
        var limits = Self.budgetLimits
        limits.maxMemory = 64 << 20
        let mib = #"fn mib(i) { let s = "x"; s.pad(1000000, "y"); s + i } "#
        let scripts = [
            mib + "let a = []; for i in 0..2000 { a.push(mib(i)); }",
            mib + "let m = #{}; for i in 0..2000 { m[`k${i}`] = mib(i); }",
            mib + "let a = [" + (0..<200).map { "mib(\($0))" }.joined(separator: ", ") + "];",
            mib + "let a = []; let s = mib(0); for i in 0..2000 { let c = s; c += \"!\"; a.push(c); }",
            #"let h = "x"; h.pad(500000, "y"); let s = h + "|" + h; let a = []; for i in 0..2000 { a.push(s.split("|")); }"#,
            "let a = []; for i in 0..2000 { let b = blob(1048576, i); a.push(b); }",
            mib + "let a = []; for i in 0..200 { a.push([mib(i)].map(|s| s + \"!\")); }",
            mib + "for i in 0..2000 { let a = [mib(i)]; let f = || a; a.push(f); }",
            mib + "let a = []; a.pad(2000, 0); let b = a.map(|x| mib(x));",
            mib + "let a = []; a.pad(2000, 0); let b = a.zip(a, |x, y| mib(x));",
            mib + "let a = []; for i in 0..40 { a.push(mib(i)); } let b = a.map(|x| mib(0));",
        ]
        let clock = ContinuousClock()
        for script in scripts {
            let start = clock.now
            let error = Self.failure(await Self.onScriptThread(script, limits: limits))
            #expect(error?.kind == .dataTooLarge, "\(script.suffix(60))")
            #expect(error?.message.contains("Memory budget") == true, "\(error?.message ?? "no error")")
            #expect(clock.now - start < .seconds(30))
            // Values built inside callbacks (map, zip) are counted while the call runs: the run
            // stops inside `mib`, not after the call has returned 2,000 of them.
            if script.contains("let b = a.") {
                #expect((error?.column ?? .max) < mib.count, "\(error?.description ?? "")")
            }
        }
    }

    @Test func memoryBudgetLetsRunsFreeWhatTheyDrop() async throws {
        var limits = Self.budgetLimits
        limits.maxMemory = 16 << 20
        // 200 MiB allocated in all, 1 MiB held at a time.
        let churn = #"let n = 0; for i in 0..200 { let s = "x"; s.pad(1048576, "y"); n += s.len(); } n"#
        #expect(try await Self.onScriptThread(churn, limits: limits).get() == .int(200 << 20))
        // 8 MiB held under a 16 MiB budget.
        let hold = #"let a = []; for i in 0..8 { let s = "x"; s.pad(1000000, "y"); a.push(s + i); } a.len()"#
        #expect(try await Self.onScriptThread(hold, limits: limits).get() == 8)
        // Shared storage counts once.
        let shared = #"let s = "x"; s.pad(1048576, "y"); let a = []; for i in 0..100 { a.push(s); } a.len()"#
        #expect(try await Self.onScriptThread(shared, limits: limits).get() == 100)
    }

    // MARK: operations and cancellation

    @Test func nativeWorkIsChargedAsOperations() async {
        var limits = Self.nodeLimits
        limits.maxOperations = 1_000_000
        let setup = #"let s = "a"; s.pad(1048576, "a"); let n = "a"; n.pad(1000, "a"); n += "b"; "#
        let scans = [
            "for i in 0..10000 { s.contains(n); }",
            "for i in 0..10000 { s.index_of(n); }",
            "for i in 0..10000 { n in s; }",
            "let a = []; a.pad(100000, 1); for i in 0..10000 { a.contains(2); }",
            "let a = []; a.pad(100000, 1); for i in 0..10000 { a.sort(); }",
            "for i in 0..10000 { s == n; }",
        ]
        for scan in scans {
            #expect(Self.failure(await Self.onScriptThread(setup + scan, limits: limits))?.kind == .tooManyOperations, "\(scan)")
        }
        #expect(Self.failure(await Self.onScriptThread(setup + "for i in 0..10000 { n.len(); }", limits: limits)) == nil)
    }

    /// Substring search is linear: a needle that matches almost everywhere cannot make it quadratic.
    @Test func substringSearchIsLinear() async throws {
        let script = #"""
            let s = "a"; s.pad(1048576, "a"); let n = "a"; n.pad(500000, "a"); n += "b";
            let r = [s.contains(n), s.index_of(n), s.split(n).len(), n in s];
            s.replace(n, "x");
            r
            """#
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try await Self.onScriptThread(script).get() == [false, -1, 1, false])
        #expect(clock.now - start < .seconds(10))
        let text = #"let s = "héllo wörld, wörld"; [s.index_of("wö"), s.index_of("wö", 8), s.split("ö").len(), s.contains("ld,")]"#
        #expect(try await Self.onScriptThread(text).get() == [6, 13, 3, true])
        let replaced = #"let s = "a–b–c"; s.replace("–", "--"); s"#
        #expect(try await Self.onScriptThread(replaced).get() == "a--b--c")
    }

    /// A run of expensive native calls stops soon after it is cancelled (the node cancels at its time limit).
    @Test func cancellationStopsExpensiveNativeCallsPromptly() async {
        let script = #"""
            let s = "a"; s.pad(1048576, "a"); let n = "a"; n.pad(100000, "a"); n += "b";
            let a = []; for i in 0..100000 { a.push(100000 - i); }
            loop { s.contains(n); s.index_of(n); a.contains(-1); let b = a; b.sort(); s.split("b"); }
            """#
        let cancellation = Cancellation()
        let clock = ContinuousClock()
        let start = clock.now
        DeadlineTimer.shared.schedule(after: 1) { cancellation.cancel() }
        let error = Self.failure(await Self.onScriptThread(script, cancellation: cancellation))
        let elapsed = clock.now - start
        #expect(error?.kind == .terminated)
        #expect(elapsed < .seconds(6), "ran \(elapsed) for a 1 s limit")
    }
}

final class Holder: @unchecked Sendable {
    var value: Dynamic
    init(_ value: Dynamic) { self.value = value }
}

/// Runs `work` on a new thread with `stackSize` bytes of stack.
func onThread<T: Sendable>(stackSize: Int, _ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.stackSize = stackSize
        thread.start()
    }
}
