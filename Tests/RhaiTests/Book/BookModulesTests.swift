import Foundation
import Rhai
import TestSupport
import Testing

/// Rhai Book — Modules (language/modules/import.md, language/modules/export.md). Modules come from a
/// resolver the embedder provides (`Engine.moduleResolver`); without one every import is
/// `ErrorModuleNotFound`.
@Suite struct BookModulesTests {
    static let cases: [BookCase] = [
        // language/modules/import.md — no resolver: the module is not found when the import runs
        .error("import \"x\" as y;", .moduleNotFound, line: 1, column: 1),
        .error("let x = 1;\nimport \"my_module\" as m;", .moduleNotFound, line: 2, column: 1),
        .value("if false { import \"x\" as y; } 1", 1),
        .error("h::greet()", .moduleNotFound),
        .error("import 42 as m;", .mismatchDataType),
        // `global::` holds the script's constants only: `global::f()` looks for a module named `global`
        .error("fn f() { 1 } global::f()", .moduleNotFound),
        .error("fn f() { global::g(1) } fn g(x) { x } f()", .moduleNotFound),
        .error("abc.def::xyz", .parsing),
        .error("abc.def::xyz()", .parsing),
        .error("fn f(x) { export x; }", .parsing),
        // language/modules/export.md — in a script that is not imported, `export` changes nothing
        .value("let x = 1; x = 2; export x as y; x", 2),
        .value("let x = 42; export x; x", 42),
        .value("export const x = 42; x", 42),
        .value("export let y = 1; y + 1", 2),
        .error("{ let x = 1; export x; }", .parsing),
        // Rhai's parser accepts any name; the export fails when it runs (src/parser.rs parse_export, eval/stmt.rs)
        .error("export nothing;", .variableNotFound, line: 1, column: 8),
        .error("let a = 1; export a; export b as c;", .variableNotFound, line: 1, column: 29),
        .value("private fn f() { 1 } f()", 1),
        .value("fn a() {} private fn b() {} is_def_fn(\"b\", 0)", true),
        .error("let p = Fn(\"f::do_work\");", .functionNotFound),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }

    static let modules: [String: String] = [
        "hello": #"fn greet(name) { `hello, ${name}` } private fn secret() { 1 } export const ANSWER = 42; let hidden = 1;"#,
        "counter": #"print("loading"); let n = 0; n += 10; export n as start; fn next(x) { x + 1 }"#,
        "scaled": "const FACTOR = 3; fn scale(x) { x * global::FACTOR } export const FACTOR2 = FACTOR * 2;",
        "uses": #"import "hello" as h; fn greet_twice(n) { h::greet(n) + "!" } export let answer = h::ANSWER + 1;"#,
        "self": #"import "self" as me;"#,
        "broken": "let x = ;",
        "looping": "fn spin() { loop {} }",
        "chain0": "export const depth = 0;",
        // language/modules/import.md: `lock::hash::sha256(key)`, sub-modules are modules imported at global level
        "hash": #"fn sha(x) { "sha:" + x } export const size = 256;"#,
        "lock": #"import "hash" as hash; export const status = "ok"; fn encrypt(x) { hash::sha(x) }"#,
        "outer": #"import "lock" as inner;"#,
        "blocky": #"if true { import "hash" as h; } fn f() { import "hash" as g; 1 } f();"#,
        "counted": #"import "counter" as c; export const a = c::start;"#,
        "cycle_a": #"import "cycle_b" as b;"#,
        "cycle_b": #"import "cycle_a" as a;"#,
    ].merging((1...20).map { ("chain\($0)", "import \"chain\($0 - 1)\" as c; export const depth = c::depth + 1;") }) { $1 }

    static func run(_ script: String, limits: Limits = Limits()) async -> Result<(Dynamic, [String]), RhaiError> {
        await BackgroundThread.serial {
            let engine = Engine()
            engine.limits = limits
            engine.moduleResolver = { path in
                if path.hasPrefix("any") { return "export const n = 1;" }
                return modules[path]
            }
            let out = CapturedOutput()
            do throws(RhaiError) {
                let value = try engine.run(try engine.compile(script), output: out.sink)
                return .success((value, out.lines))
            } catch {
                return .failure(error)
            }
        }
    }

    static func value(_ script: String) async -> Dynamic? { try? await run(script).get().0 }
    static func kind(_ script: String, limits: Limits = Limits()) async -> RhaiError.Kind? {
        if case .failure(let e) = await run(script, limits: limits) { return e.kind }
        return nil
    }

    /// language/modules/import.md, export.md: functions (not `private` ones) and exported variables.
    @Test func importedModulesGiveTheirFunctionsAndExports() async {
        #expect(await Self.value(#"import "hello" as h; h::greet("you")"#) == "hello, you")
        #expect(await Self.value(#"import "hello" as h; h::ANSWER"#) == 42)
        #expect(await Self.kind(#"import "hello" as h; h::hidden"#) == .variableNotFound)
        #expect(await Self.kind(#"import "hello" as h; h::secret()"#) == .functionNotFound)
        #expect(await Self.kind(#"import "hello" as h; h::greet()"#) == .functionNotFound)
        #expect(await Self.value(#"import "counter" as c; c::next(c::start)"#) == 11)
        // a module's functions see its own top level through `global::`
        #expect(await Self.value(#"import "scaled" as s; s::scale(2) + s::FACTOR2"#) == 12)
        // modules import modules
        #expect(await Self.value(#"import "uses" as u; u::greet_twice("x") + u::answer"#) == "hello, x!43")
        // an import inside a function or a block
        #expect(await Self.value(#"fn f() { import "hello" as h; h::ANSWER } f()"#) == 42)
        #expect(await Self.value(#"let p = "hel" + "lo"; import p as h; h::ANSWER"#) == 42)
    }

    /// language/modules/export.md: "Modules loaded within this module at the global level become
    /// sub-modules and are also automatically exported"; import.md: `lock::hash::sha256(key)`.
    @Test func subModulesAreReachedThroughTheirParents() async {
        #expect(await Self.value(#"import "lock" as lock; lock::hash::sha("k")"#) == "sha:k")
        #expect(await Self.value(#"import "lock" as lock; lock::hash::size + lock::encrypt("a").len()"#) == 261)
        #expect(await Self.value(#"import "outer" as o; o::inner::hash::size"#) == 256)
        #expect(await Self.value(#"import "outer" as o; fn f() { o::inner::status } f()"#) == "ok")
        // only imports at a module's global level are its sub-modules
        #expect(await Self.kind(#"import "blocky" as b; b::h::size"#) == .moduleNotFound)
        #expect(await Self.kind(#"import "blocky" as b; b::g::size"#) == .moduleNotFound)
        #expect(await Self.kind(#"import "lock" as lock; lock::nope::sha("k")"#) == .moduleNotFound)
        #expect(await Self.kind(#"import "lock" as lock; lock::hash::nope("k")"#) == .functionNotFound)
        #expect(await Self.kind(#"import "lock" as lock; lock::hash::nope"#) == .variableNotFound)
        // a chain of sub-modules as deep as imports nest
        let path = Array(repeating: "c", count: 15).joined(separator: "::")
        #expect(await Self.value("import \"chain15\" as m; m::\(path)::depth") == 0)
        // a path of thousands of names is a syntax error, not a deep walk
        let long = Array(repeating: "m", count: 5_000).joined(separator: "::")
        #expect(await Self.kind("import \"chain15\" as m; \(long)::depth") == .parsing)
        // modules importing each other are an error, not a loop
        #expect(await Self.kind(#"import "cycle_a" as a;"#) == .moduleNotFound)
    }

    /// language/modules/import.md: a module imported without a name is simply run.
    @Test func aModuleImportedWithoutANameIsRun() async throws {
        let (value, lines) = try await Self.run(#"import "counter"; 1"#).get()
        #expect(value == 1 && lines == ["loading"])
        #expect(await Self.kind(#"import "counter"; c::start"#) == .moduleNotFound)
    }

    @Test func aModuleRunsOncePerRun() async throws {
        // also when another module imports it
        let (shared, loaded) = try await Self.run(#"import "counter" as c; import "counted" as u; u::a + c::start"#).get()
        #expect(shared == 20 && loaded == ["loading"])
        let (value, lines) = try await Self.run(#"import "counter" as a; import "counter" as b; a::start + b::start"#).get()
        #expect(value == 20)
        #expect(lines == ["loading"])
    }

    @Test func badModulesFailClearly() async {
        #expect(await Self.kind(#"import "missing" as m;"#) == .moduleNotFound)
        #expect(await Self.kind(#"import "self" as m;"#) == .moduleNotFound)
        #expect(await Self.kind(#"import "broken" as m;"#) == .moduleNotFound)
        #expect(await Self.kind(#"import "hello" as h; x::greet("a")"#) == .moduleNotFound)
        // a module's work counts toward the importing run's operations
        var limits = Limits()
        limits.maxOperations = 10_000
        #expect(await Self.kind(#"import "looping" as l; l::spin()"#, limits: limits) == .tooManyOperations)
        // imports nest at most 16 deep
        #expect(await Self.value(#"import "chain15" as c; c::depth"#) == 15)
        #expect(await Self.kind(#"import "chain20" as c; c::depth"#) == .moduleNotFound)
        // distinct modules per run are capped (Rhai's max_modules; 1,024 when not set)
        limits = Limits()
        limits.maxModules = 10
        #expect(await Self.kind(#"for i in 0..10 { import `any${i}` as m; }"#, limits: limits) == nil)
        #expect(await Self.kind(#"for i in 0..11 { import `any${i}` as m; }"#, limits: limits) == .tooManyModules)
        #expect(await Self.kind(#"for i in 0..2000 { import `any${i}` as m; }"#) == .tooManyModules)
        #expect(await Self.kind(#"for i in 0..2000 { import "any" as m; }"#) == nil)
    }
}
