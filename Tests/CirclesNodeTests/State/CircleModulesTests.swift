import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode

/// A circle's modules in embedded mode against real SQLite files: modules put by the operator
/// (`ModuleInstaller`, its own database connection as `circles modules put` has) imported by plays,
/// the `modules` right, every refused name, a missing module, the read-only folder, an oversized
/// module, the operator's config modules, and limits that count the import.
@Suite struct CircleModulesTests {
    let circle = PrivateKey().publicKey.hex
    let stranger = PrivateKey().publicKey.hex
    let base: String

    init() throws {
        base = try TemporaryDirectory.make(prefix: "circles-modules")
    }

    static let util = """
        export const GREETING = "hello";
        fn double(x) { x * 2 }
        fn greet(name) { `${global::GREETING}, ${name}` }
        """

    func runner(_ policy: CirclePolicy = CirclePolicy(grants: [CirclePolicy.anyone: .modules])) -> ScriptRunner {
        ScriptRunner(dataDirectory: base, policies: { _ in policy })
    }

    func run(_ script: String, caller: String? = nil, runner: ScriptRunner? = nil) async -> TaskResult {
        await (runner ?? self.runner()).run(ScriptTask(circle: circle, caller: caller ?? stranger, script: script, createdAt: 0))
    }

    func failure(_ result: TaskResult) -> ScriptFailure? {
        if case .failure(let failure) = result.outcome { return failure }
        return nil
    }

    var installer: ModuleInstaller { ModuleInstaller(.embedded(dataDirectory: base)) }

    @Test func aPlayImportsAModuleOfTheCirclesStateAndCallsIt() async throws {
        try await installer.put("util", source: Self.util, circle: circle)
        try await installer.put("lib/math-2", source: "fn square(x) { x * x }", circle: circle)
        let played = await run(#"import "util" as u; import "lib/math-2" as m; `${u::double(21)} ${u::greet("you")} ${u::GREETING} ${m::square(7)}`"#)
        #expect(played.outcome == .success("42 hello, you hello 49"), "\(played)")
        #expect(try await installer.list(circle: circle) == ["lib/math-2", "util"])
        // A module imports another by its name.
        try await installer.put("outer", source: #"import "util" as u; fn quad(x) { u::double(u::double(x)) }"#, circle: circle)
        #expect(await run(#"import "outer" as o; o::quad(5)"#).outcome == .success("20"))
        // Replaced and deleted by the operator; the next play sees it.
        try await installer.put("util", source: "fn double(x) { x * 3 }", circle: circle)
        #expect(await run(#"import "util" as u; u::double(2)"#).outcome == .success("6"))
        #expect(try await installer.delete("util", circle: circle))
        #expect(try await installer.delete("util", circle: circle) == false)
        let gone = await run(#"import "util" as u; u::double(2)"#)
        #expect(failure(gone)?.kind == .runtime)
        #expect(failure(gone)?.message.contains("Module not found: util") == true, "\(gone)")
    }

    /// A module imported by several plays is compiled once per circle (kept in the script cache by its source).
    @Test func anImportedModuleIsCompiledOnceAndKept() async throws {
        let source = "fn id() { \"\(UUID().uuidString)\" }"
        try await installer.put("kept", source: source, circle: circle)
        let runner = runner()
        #expect(!ScriptCache.shared.holds(script: source))
        let first = await run(#"import "kept" as k; k::id().len()"#, runner: runner)
        #expect(first.outcome == .success("36"), "\(first)")
        #expect(ScriptCache.shared.holds(script: source))
        let again = await run(#"import "kept" as k; k::id().len()"#, runner: runner)
        #expect(again.outcome == .success("36"), "\(again)")
        withExtendedLifetime(runner) {}
    }

    @Test func importingNeedsTheModulesRight() async throws {
        try await installer.put("util", source: Self.util, circle: circle)
        let script = #"import "util" as u; u::double(4)"#
        let closed = runner(CirclePolicy(grants: [CirclePolicy.anyone: .dataRead]))
        let refused = await run(#"let r = 0; try { import "util" as u; r = u::double(4); } catch { r = -1 } r"#, runner: closed)
        #expect(failure(refused)?.kind == .denied, "\(refused)")
        #expect(failure(refused)?.message.contains("import needs modules rights") == true, "\(refused)")
        #expect(await run(script, caller: circle, runner: closed).outcome == .success("8"), "the circle's own key has every right")
        let owner = PrivateKey().publicKey.hex
        #expect(await run(script, caller: owner, runner: runner(CirclePolicy(owners: [owner]))).outcome == .success("8"))
        #expect(await run(script, runner: runner(CirclePolicy(grants: [stranger: .modules]))).outcome == .success("8"))
    }

    @Test(arguments: ["../x", "/etc/passwd", "modules/../../x", "util.rhai", "x.json", "a//b", "/util", "util/", "", ".hidden",
                      "über", "a b", "a\\b", String(repeating: "a", count: 129)])
    func anImportOutsideTheModulesFolderIsDenied(name: String) async throws {
        try await installer.put("util", source: Self.util, circle: circle)
        var literal: [UInt8] = []
        JSON.string(name).write(to: &literal)
        let caught = await run("let r = 0; try { import \(String(decoding: literal, as: UTF8.self)) as m; r = 1; } catch { r = 2 } r")
        #expect(failure(caught)?.kind == .denied, "\(name): \(caught)")
        #expect(failure(caught)?.message.contains("refused: a module name is") == true, "\(name): \(caught)")
        let uncaught = await run("1;\nimport \(String(decoding: literal, as: UTF8.self)) as m; m::f()")
        #expect(failure(uncaught)?.kind == .denied, "\(name): \(uncaught)")
        #expect(failure(uncaught)?.line == 2, "where the import is: \(uncaught)")
    }

    @Test func aHugeNameIsRefusedWithoutEchoingIt() async {
        let result = await run(#"let n = "a"; n.pad(500000, "b"); import n as m; 1"#)
        #expect(failure(result)?.kind == .denied, "\(result)")
        #expect((failure(result)?.message.utf8.count ?? .max) < 1000, "\(failure(result)?.message.prefix(200) ?? "")")
    }

    @Test func theLongestNameIsAllowed() async throws {
        let name = String(repeating: "a", count: CircleModules.maxNameBytes)
        try await installer.put(name, source: "fn f() { 1 }", circle: circle)
        #expect(await run(#"import "\#(name)" as m; m::f()"#).outcome == .success("1"))
    }

    @Test func aMissingModuleIsErrorModuleNotFoundAndCanBeCaught() async {
        let missing = await run(#"import "nope" as m; m::f()"#)
        #expect(failure(missing)?.kind == .runtime)
        #expect(failure(missing)?.message.contains("Module not found: nope") == true, "\(missing)")
        #expect(await run(#"let r = 0; try { import "nope" as m; r = 1; } catch (e) { r = "caught" } r"#).outcome == .success("caught"))
    }

    @Test func scriptsCannotWriteOrDeleteModulesButMayReadThem() async throws {
        try await installer.put("util", source: Self.util, circle: circle)
        let everything = runner(CirclePolicy(grants: [CirclePolicy.anyone: .all]))
        for script in [#"save_data("modules/util.rhai", "fn double(x) { 0 }")"#, #"delete_data("modules/util.rhai")"#,
                       #"save_data("modules/new.rhai", "fn f() { 1 }")"#, #"save_data("modules//x", 1)"#, #"save_data("modules", 1)"#,
                       #"save_data("ok", 1); try { save_data("modules/util.rhai", "") } catch { } "went on""#] {
            for caller in [stranger, circle] {
                let result = await run(script, caller: caller, runner: everything)
                #expect(failure(result)?.kind == .denied, "\(script): \(result)")
                #expect(failure(result)?.message.contains("which scripts cannot change") == true, "\(script): \(result)")
            }
        }
        #expect(await run(#"import "util" as u; u::double(5)"#, runner: everything).outcome == .success("10"), "unchanged")
        #expect(await run("list_data()", runner: everything).outcome == .success(#"["modules/util.rhai"]"#), "nothing of the refused plays")
        #expect(await run(#"let s = load_data("modules/util.rhai").source; `${s.len()} ${s.contains("fn greet(name)")}`"#, runner: everything).outcome
            == .success("\(Self.util.count) true"))
    }

    @Test func anOversizedModuleIsALimit() async throws {
        let big = "// " + String(repeating: "x", count: CircleModules.maxSourceBytes - 3)
        try await installer.put("big", source: big, circle: circle)
        #expect(await run(#"import "big" as b; 1"#).outcome == .success("1"), "exactly at the limit")
        await #expect(throws: ModuleError.self) { try await installer.put("bigger", source: big + "x", circle: circle) }
        // Written past the installer (an imported old data file could be): refused when imported.
        let store = try SQLiteStorage(dataDirectory: base).sqliteStore(for: circle)
        try store.commit([DataWrite(path: "modules/bigger.rhai", value: CircleModules.storedValue(big + "x"))])
        try store.commit([DataWrite(path: "modules/number.rhai", value: Array("42".utf8))])
        let over = await run(#"let r = 0; try { import "bigger" as b; r = 1; } catch { r = 2 } r"#)
        #expect(failure(over)?.kind == .limit, "\(over)")
        #expect(failure(over)?.message.contains("over the limit of \(CircleModules.maxSourceBytes) bytes") == true, "\(over)")
        let notSource = await run(#"import "number" as n; 1"#)
        #expect(failure(notSource)?.message.contains(#"is not {"source": Rhai source}"#) == true, "\(notSource)")
    }

    @Test func theOperatorsModulesComeFirst() async throws {
        try await installer.put("util", source: "fn double(x) { 0 }", circle: circle)
        try await installer.put("other", source: "fn f() { \"state\" }", circle: circle)
        var policy = CirclePolicy(grants: [CirclePolicy.anyone: .modules])
        policy.modules = ["util": Self.util]
        let configured = runner(policy)
        #expect(await run(#"import "util" as u; import "other" as o; `${u::double(3)} ${o::f()}`"#, runner: configured).outcome == .success("6 state"))
    }

    @Test func importingCountsAgainstThePlaysLimits() async throws {
        try await installer.put("spin", source: "let n = 0; loop { n += 1; }", circle: circle)
        try await installer.put("slow", source: "fn spin() { let n = 0; loop { n += 1; } }", circle: circle)
        var policy = CirclePolicy(grants: [CirclePolicy.anyone: .modules])
        policy.limits.maxOperations = 100_000
        let limited = runner(policy)
        for script in [#"import "spin" as s; 1"#, #"import "slow" as s; s::spin()"#] {
            let result = await run(script, runner: limited)
            #expect(failure(result)?.kind == .limit, "\(script): \(result)")
        }
        policy.limits.maxOperations = 0
        policy.limits.timeout = 0.5
        let timed = await run(#"import "spin" as s; 1"#, runner: runner(policy))
        #expect(failure(timed)?.kind == .timeout, "\(timed)")
    }

    @Test func aModuleRunsWithTheCallersRights() async throws {
        try await installer.put("writer", source: #"fn write() { save_data("x", 1); "wrote" }"#, circle: circle)
        let result = await run(#"import "writer" as w; w::write()"#)
        #expect(failure(result)?.kind == .denied, "\(result)")
        #expect(failure(result)?.message.contains("save_data needs data.write") == true, "\(result)")
        #expect(await run(#"import "writer" as w; w::write()"#, caller: circle).outcome == .success("wrote"))
    }

    @Test func modulesPutWhileTheNodeRunsCountInItsUsage() async throws {
        var policy = CirclePolicy(grants: [CirclePolicy.anyone: .all])
        policy.dataLimits = DataLimits(maxValueBytes: 1 << 20, maxPaths: 3, maxTotalBytes: 1 << 20)
        let running = runner(policy)
        #expect(await run(#"save_data("a", 1)"#, runner: running).outcome == .success(""))
        try await installer.put("one", source: "fn f() { 1 }", circle: circle)
        try await installer.put("two", source: "fn f() { 2 }", circle: circle)
        let over = await run(#"save_data("b", 1)"#, runner: running)
        #expect(failure(over)?.kind == .limit, "the runner's open database sees the two modules: \(over)")
        #expect(failure(over)?.message.contains("4 paths") == true, "\(over)")
        #expect(try await installer.delete("two", circle: circle))
        #expect(await run(#"save_data("b", 1)"#, runner: running).outcome == .success(""))
    }

    @Test func theInstallerRefusesBadNamesAndKeys() async throws {
        for name in ["../x", "a.rhai", ""] {
            await #expect(throws: ModuleError.self) { try await installer.put(name, source: "1", circle: circle) }
        }
        await #expect(throws: ModuleError.self) { try await installer.put("x", source: "1", circle: "02" + String(repeating: "zz", count: 32)) }
    }
}
