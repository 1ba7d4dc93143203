import Foundation
import Rhai
import Testing

/// The host side: scopes, host functions and constants, compiled scripts shared between threads.
@Suite struct EmbeddingTests {
    @Test func scopeVariablesAreReadWrittenAndKept() throws {
        let engine = Engine()
        let scope = Scope()
        scope.push("x", 40)
        scope.pushConstant("NAME", "circle")
        #expect(try engine.eval("x += 2; x", scope: scope) == 42)
        #expect(scope.get("x") == 42)
        #expect(try engine.eval("let y = NAME + \"!\";", scope: scope) == .unit)
        #expect(scope.get("y") == "circle!")
        #expect(try engine.eval("y.len()", scope: scope) == 7)
        #expect(try engine.eval("is_def_var(\"y\")", scope: scope) == true)
    }

    @Test func hostFunctionsAndConstants() throws {
        let engine = Engine()
        engine.registerFunction("add3", arity: 3) { args in .int((args[0].asInt ?? 0) + (args[1].asInt ?? 0) + (args[2].asInt ?? 0)) }
        engine.registerFunction("join_all") { args in .string(args.map(\.description).joined(separator: "-")) }
        engine.registerFunction("fail") { _ in throw RhaiError(.runtime, "host says no") }
        engine.registerConstant("ANSWER", 42)
        #expect(try engine.eval("add3(1, 2, 3)") == 6)
        #expect(try engine.eval("join_all(1, \"a\", true)") == "1-a-true")
        #expect(try engine.eval("fn f() { ANSWER } f()") == 42)
        engine.registerConstant("NAME", "circle")
        #expect(try engine.eval("NAME.len() + NAME.to_upper().len()") == 12)
        #expect(try engine.eval("NAME.pad(8, '!'); NAME") == "circle")
        #expect(try engine.eval("5.add3(1, 1)") == 7)
        #expect(throws: RhaiError.self) { try engine.eval("fail()") }
        let error = #expect(throws: RhaiError.self) { try engine.eval("\n fail()") }
        #expect(error?.kind == .runtime && error?.message == "host says no" && error?.line == 2 && error?.column == 2)
    }

    /// `moduleCache`: a module imported by several runs (and scripts) is compiled once; a changed source
    /// is another module; a module that does not compile is not kept and fails each import alike.
    @Test func aModuleCacheCompilesEachModuleSourceOnce() throws {
        let engine = Engine()
        let sources = Mutex<[String: String]>(["m": "fn f(x) { x + 1 } export const K = 40;", "bad": "fn ("])
        let compiles = Mutex<[String: Int]>([:])
        let kept = Mutex<[String: AST]>([:])
        engine.moduleResolver = { path in sources.withLock { $0[path] } }
        engine.moduleCache = { source, compile throws(RhaiError) in
            if let ast = kept.withLock({ $0[source] }) { return ast }
            compiles.withLock { $0[source, default: 0] += 1 }
            let ast = try compile()
            kept.withLock { $0[source] = ast }
            return ast
        }
        for _ in 0..<3 {
            #expect(try engine.eval(#"import "m" as m; m::f(m::K) + 1"#) == 42)
            #expect(try engine.eval(#"import "m" as a; import "m" as b; a::K + b::f(1)"#) == 42)
        }
        #expect(compiles.withLock { $0 } == ["fn f(x) { x + 1 } export const K = 40;": 1])
        sources.withLock { $0["m"] = "export const K = 7;" }
        #expect(try engine.eval(#"import "m" as m; m::K"#) == 7)
        for _ in 0..<2 {
            let error = #expect(throws: RhaiError.self) { try engine.eval(#"import "bad" as b;"#) }
            #expect(error?.kind == .moduleNotFound && error?.message.contains("Error in module 'bad'") == true)
        }
        #expect(compiles.withLock { $0 } == ["fn f(x) { x + 1 } export const K = 40;": 1, "export const K = 7;": 1, "fn (": 2])
    }

    /// Dynamic tags stay inside the engine: results and host function arguments come out untagged.
    @Test func tagsStayInsideTheEngine() throws {
        let engine = Engine()
        let seen = Mutex<[Dynamic]>([])
        engine.registerFunction("see", arity: 1) { args in seen.withLock { $0.append(args[0]) }; return .unit }
        let result = try engine.eval("let x = 1; x.tag = 3; let a = [x, #{k: x}]; a.tag = 2; see(a); see(x); a")
        let plain: Dynamic = [1, ["k": 1]]
        for v in seen.withLock({ $0 }) + [result] {
            switch v {
            case .array(let a): #expect(v == plain && a.allSatisfy { $0.dynamicTag == 0 } && a[1].asMap?["k"]?.dynamicTag == 0)
            case .int(let n): #expect(n == 1)
            default: Issue.record("\(v.debugDescription) is tagged or not the value")
            }
        }
        #expect(seen.withLock { $0.count } == 2)
    }

    @Test func compiledScriptRunsManyTimesOnManyThreads() async throws {
        let engine = Engine()
        let ast = try engine.compile("fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } } let r = fib(N); r")
        let results = Mutex<[Int64]>([])
        let group = DispatchGroup()
        for n in 10..<18 {
            group.enter()
            Thread.detachNewThread {
                let scope = Scope()
                scope.pushConstant("N", .int(Int64(n)))
                let v = try? engine.run(ast, scope: scope, output: nil, cancellation: nil)
                results.withLock { $0.append(v?.asInt ?? -1) }
                group.leave()
            }
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            group.notify(queue: .global()) { c.resume() }
        }
        #expect(results.withLock { $0.sorted() } == [55, 89, 144, 233, 377, 610, 987, 1597])
    }

    @Test func runAsyncSuspendsInsteadOfBlocking() async throws {
        let engine = Engine()
        let ast = try engine.compile("let s = 0; for i in 0..1000 { s += i; } s")
        async let a = engine.runAsync(ast)
        async let b = engine.runAsync(ast)
        #expect(try await [a, b] == [499_500, 499_500])
        do {
            _ = try await engine.runAsync(try engine.compile("1 / 0"))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .arithmetic)
        }
    }

    @Test func printGoesToOnPrintWithoutASink() throws {
        let engine = Engine()
        let captured = CapturedOutput()
        let sink = captured.sink
        engine.onPrint = sink.print
        engine.onDebug = sink.debug
        _ = try engine.eval("print(`a${1}`); debug(\"b\")")
        #expect(captured.lines == ["a1", "\"b\""])
    }

    @Test func jsonParsesIntoValuesAndBack() throws {
        let v = try Dynamic.parseJSON(#" {"a": [1, 2.5, "x\n\u00e9", true, null], "b": {}, "c": -3e2} "#)
        #expect(v == ["a": [1, 2.5, "x\né", true, .unit], "b": .map([:]), "c": -300.0])
        #expect(try Dynamic.parseJSON(v.jsonText) == v)
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"abc", "1 2", String(repeating: "[", count: 5000)] {
            #expect(throws: RhaiError.self) { try Dynamic.parseJSON(bad) }
        }
    }

    @Test func valuesConvertToJSONAndDebugForms() {
        let v: Dynamic = ["a": [1, 2.5, "x", true, .unit], "b": .char("c")]
        #expect(v.jsonText == #"{"a":[1,2.5,"x",true,null],"b":"c"}"#)
        #expect(v.debugDescription == #"#{"a": [1, 2.5, "x", true, ()], "b": 'c'}"#)
        #expect(v.typeName == "map")
    }
}

import Synchronization
