#if canImport(Glibc)
import Glibc
#endif
import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode

@Suite struct ScriptRunnerTests {
    static let circle = "02" + String(repeating: "ab", count: 32)
    static let caller = "03" + String(repeating: "cd", count: 32)

    let base: String
    init() throws {
        base = try TemporaryDirectory.make(prefix: "circles-runner")
    }

    func runner(_ policy: CirclePolicy = .open) -> ScriptRunner {
        ScriptRunner(dataDirectory: base, policies: { _ in policy })
    }

    func run(_ script: String, on runner: ScriptRunner, caller: String = caller, timeout: Double? = nil) async -> TaskResult {
        await runner.run(ScriptTask(circle: Self.circle, caller: caller, script: script, createdAt: 0, timeout: timeout))
    }

    func failure(_ result: TaskResult) -> ScriptFailure? {
        if case .failure(let failure) = result.outcome { return failure }
        return nil
    }

    @Test func scriptsSeeBothKeysAndTheirNamespace() async {
        let runner = runner()
        let result = await run("""
            print("in " + CIRCLE_PUBLIC_KEY);
            `${CALLER_PUBLIC_KEY == CALLER_ID}/${CIRCLE_PUBLIC_KEY == CONTEXT_ID}/${DB_PATH}`
            """, on: runner)
        #expect(result.outcome == .success("true/true/\(Self.circle)"), "DB_PATH is relative: the node's own paths stay private")
        #expect(result.logs == ["in \(Self.circle)"])
    }

    @Test func dataFunctionsRoundTripMapsAndArrays() async {
        let runner = runner()
        let saved = await run(#"save_data("prefs/theme.json", #{mode: "dark", sizes: [1, 2.5], on: true}); list_data()"#, on: runner)
        #expect(saved.outcome == .success(#"["prefs/theme.json"]"#))
        let loaded = await run(#"let p = load_data("prefs/theme.json"); `${p.mode} ${p.sizes[1]} ${p.on} ${delete_data("prefs/theme.json")}`"#, on: runner)
        #expect(loaded.outcome == .success("dark 2.5 true true"))
        let gone = await run(#"list_data().len()"#, on: runner)
        #expect(gone.outcome == .success("0"))
    }

    @Test(arguments: ["../escape", "/etc/passwd", "a/../../b"])
    func dataFunctionsRefusePathsOutOfTheNamespace(path: String) async {
        let runner = runner()
        let result = await run("save_data(\"\(path)\", 1)", on: runner)
        #expect(failure(result)?.kind == .runtime)
        #expect(failure(result)?.message.contains("invalid path") == true)
        #expect(Self.files(under: base).isEmpty, "nothing written anywhere under the data directory")
    }

    /// Every regular file under `directory`, at any depth.
    static func files(under directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        return walker.compactMap { $0 as? String }.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    @Test func aCallerOffTheAllowListIsDeniedWithoutRunning() async {
        let runner = runner(CirclePolicy(allowedCallers: ["someone-else"]))
        let result = await run(#"save_data("ran", true)"#, on: runner)
        #expect(failure(result)?.kind == .denied)
        var status = stat()
        #expect(stat(base + "/\(Self.circle)/data/ran", &status) != 0)
    }

    @Test func parseErrorsCarryTheirPosition() async {
        let runner = runner()
        let failure = failure(await run("let x = 1;\nlet = 2;", on: runner))
        #expect(failure?.kind == .parse)
        #expect(failure?.line == 2)
    }

    @Test func runawayScriptsHitALimitAndTheRunnerGoesOn() async {
        var limits = ScriptLimits()
        limits.maxOperations = 100_000
        limits.maxStringSize = 10_000
        let runner = runner(CirclePolicy(grants: ["*": .all], limits: limits))
        #expect(failure(await run("loop {}", on: runner))?.kind == .limit)
        #expect(failure(await run("fn f(n) { f(n + 1) } f(0)", on: runner))?.kind == .limit)
        #expect(failure(await run(#"let s = "x"; loop { s += s; }"#, on: runner))?.kind == .limit)
        #expect(await run("40 + 2", on: runner).outcome == .success("42"))
    }

    @Test func aScriptOverItsWallClockLimitIsStopped() async {
        var limits = ScriptLimits()
        limits.maxOperations = 0
        let runner = runner(CirclePolicy(grants: ["*": .all], limits: limits))
        let result = await run("let i = 0; loop { i += 1; }", on: runner, timeout: 0.2)
        #expect(failure(result)?.kind == .timeout)
        #expect(await run("1", on: runner).outcome == .success("1"))
    }

    @Test func runtimeErrorsAndThrowsAreFailuresWithMessages() async {
        let runner = runner()
        let thrown = failure(await run(#"throw "nope""#, on: runner))
        #expect(thrown?.kind == .runtime)
        #expect(thrown?.message.contains("nope") == true)
        #expect(failure(await run("eval(\"1\")", on: runner)) != nil)
        #expect(await run("()", on: runner).outcome == .success(""))
    }
}
