import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode

/// Circle state in embedded mode against real SQLite files: atomic plays, limits at their edges, the
/// import of old data files, a corrupt database.
@Suite struct CircleStateTests {
    static let circle = "02" + String(repeating: "ab", count: 32)
    static let other = "02" + String(repeating: "cd", count: 32)
    let base: String

    init() throws {
        base = try TemporaryDirectory.make(prefix: "circles-state")
    }

    func run(_ script: String, circle: String = circle, limits: DataLimits = DataLimits(), runner: ScriptRunner? = nil) async -> TaskResult {
        let runner = runner ?? ScriptRunner(dataDirectory: base, policies: { _ in CirclePolicy(dataLimits: limits) })
        return await runner.run(ScriptTask(circle: circle, caller: circle, script: script, createdAt: 0))
    }

    func failure(_ result: TaskResult) -> ScriptFailure? {
        if case .failure(let failure) = result.outcome { return failure }
        return nil
    }

    @Test func aFailingScriptCommitsNothingAndItsOwnReadsSawItsWrites() async {
        #expect(await run(#"save_data("kept", 1); "ok""#).outcome == .success("ok"))
        let failed = await run(#"""
            save_data("a", #{n: 1}); delete_data("kept"); save_data("b", [1, 2]);
            let seen = `${load_data("a").n} ${list_data()} ${delete_data("kept")}`;
            throw seen;
            """#)
        #expect(failure(failed)?.kind == .runtime)
        #expect(failure(failed)?.message.contains("1 [\"a\", \"b\"] false") == true, "\(failed)")
        #expect(await run(#"`${list_data()} ${load_data("kept")}`"#).outcome == .success(#"["kept"] 1"#))
        // A limit the script catches fails it all the same; nothing of it is written.
        let caught = await run(#"save_data("c", 1); try { save_data("big", "xxxxxxxxxx"); } catch { } "done""#,
                               limits: DataLimits(maxValueBytes: 8, maxPaths: 10, maxTotalBytes: 1000))
        #expect(failure(caught)?.kind == .limit, "\(caught)")
        #expect(await run("list_data()").outcome == .success(#"["kept"]"#))
    }

    @Test func limitsAtTheirEdges() async {
        // Sizes are bytes of JSON text; a path counts with its bytes: "123456" is 8, a + "123456" 9.
        let limits = DataLimits(maxValueBytes: 8, maxPaths: 3, maxTotalBytes: 20)
        #expect(await run(#"save_data("a", "123456")"#, limits: limits).outcome == .success(""))
        let tooBig = await run(#"save_data("b", 1); save_data("c", "1234567")"#, limits: limits)
        #expect(failure(tooBig)?.kind == .limit)
        #expect(failure(tooBig)?.message.contains("over the circle's limit of 8 bytes") == true, "\(tooBig)")
        #expect(await run("list_data()", limits: limits).outcome == .success(#"["a"]"#), "nothing of the failed play")
        // 9 + 9 + 2 = 20 bytes in 3 paths: exactly at both limits.
        #expect(await run(#"save_data("b", 12345678); save_data("c", 1)"#, limits: limits).outcome == .success(""))
        let overTotal = await run(#"save_data("c", 12)"#, limits: limits)
        #expect(failure(overTotal)?.kind == .limit)
        #expect(failure(overTotal)?.message.contains("21 bytes of data") == true, "\(overTotal)")
        let overPaths = await run(#"save_data("d", 1)"#, limits: limits)
        #expect(failure(overPaths)?.message.contains("4 paths") == true, "\(overPaths)")
        // Deleting makes room, within the same play.
        #expect(await run(#"delete_data("a"); save_data("d", 1); list_data()"#, limits: limits).outcome == .success(#"["b", "c", "d"]"#))
    }

    @Test func aValueTooDeepToLoadAgainIsALimit() async {
        let nested = #"let v = 1; for i in 0..N { v = [v]; } save_data("deep", v); "saved""#
        #expect(await run(nested.replacingOccurrences(of: "N", with: "128")).outcome == .success("saved"))
        #expect(await run(#"let v = load_data("deep"); let n = 0; while type_of(v) == "array" { v = v[0]; n += 1; } n"#).outcome == .success("128"))
        let deeper = await run(nested.replacingOccurrences(of: "N", with: "129"))
        #expect(failure(deeper)?.kind == .limit, "\(deeper)")
        #expect(failure(deeper)?.message.contains("nests deeper than 128") == true)
    }

    @Test func theDefaultValueLimitIs4MiB() async {
        let limit = DataLimits().maxValueBytes
        #expect(limit == 4 << 20)
        let policy = CirclePolicy(limits: { var limits = ScriptLimits(); limits.maxStringSize = 8 << 20; return limits }())
        let runner = ScriptRunner(dataDirectory: base, policies: { _ in policy })
        let fits = await run(#"let s = "x"; s.pad(\#(limit - 2), "x"); save_data("v", s); load_data("v").len()"#, runner: runner)
        #expect(fits.outcome == .success(String(limit - 2)))
        let over = await run(#"let s = "x"; s.pad(\#(limit - 1), "x"); save_data("v", s)"#, runner: runner)
        #expect(failure(over)?.kind == .limit)
    }

    @Test func oldDataFilesAreImportedOnceOnFirstOpen() async throws {
        let namespace = try PeerNamespace(base: base, circle: Self.circle)
        try namespace.save("prefs/theme", .object(["mode": .string("dark")]))
        try namespace.save("counter", .int(41))
        #expect(await run(#"let c = load_data("counter") + 1; save_data("counter", c); `${load_data("prefs/theme").mode} ${c} ${list_data()}`"#)
            .outcome == .success(#"dark 42 ["counter", "prefs/theme"]"#))
        #expect(await run(#"delete_data("prefs/theme")"#).outcome == .success("true"))
        // A new runner opens the database again: the files are not imported a second time.
        #expect(await run("`${list_data()} ${load_data(\"counter\")}`", runner: ScriptRunner(dataDirectory: base)).outcome
            == .success(#"["counter"] 42"#))
        #expect(FileManager.default.fileExists(atPath: namespace.root + "/" + SQLiteCircleStore.fileName))
    }

    @Test func aCorruptDatabaseFailsItsCircleOnlyWithAClearError() async throws {
        #expect(await run(#"save_data("x", 1)"#, circle: Self.other).outcome == .success(""))
        let namespace = try PeerNamespace(base: base, circle: Self.circle)
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: namespace.root + "/" + SQLiteCircleStore.fileName))
        let runner = ScriptRunner(dataDirectory: base)
        for _ in 0..<2 {
            let broken = await run(#"save_data("x", 2); 1"#, runner: runner)
            #expect(failure(broken)?.kind == .runtime)
            #expect(failure(broken)?.message.contains("circle state unavailable") == true, "\(broken)")
            #expect(failure(broken)?.message.contains("not a database") == true, "\(broken)")
            // A script that catches the error still fails: nothing is built on a read that did not happen.
            let caught = await run(#"let v = 0; try { v = load_data("x"); } catch { } v"#, runner: runner)
            #expect(failure(caught)?.message.contains("circle state unavailable") == true, "\(caught)")
            #expect(await run("1 + 1", runner: runner).outcome == .success("2"), "scripts without data still run")
            #expect(await run(#"load_data("x") + 1"#, circle: Self.other, runner: runner).outcome == .success("2"))
        }
    }
}
