import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode

/// The attacks of issue 14 on the script engine, through the node's runner with its default limits:
/// each fails with a `limit` (or `parse`) failure, quickly, and the runner goes on serving.
@Suite struct ScriptBoundsTests {
    static let circle = "02" + String(repeating: "ab", count: 32)
    static let caller = "03" + String(repeating: "cd", count: 32)

    let base: String
    init() throws {
        base = try TemporaryDirectory.make(prefix: "circles-bounds")
    }

    func run(_ script: String, on runner: ScriptRunner, timeout: Double? = nil) async -> TaskResult {
        await runner.run(ScriptTask(circle: Self.circle, caller: Self.caller, script: script, createdAt: 0, timeout: timeout))
    }

    func failure(_ result: TaskResult) -> ScriptFailure? {
        if case .failure(let failure) = result.outcome { return failure }
        return nil
    }

    @Test func hostileScriptsFailWithALimitAndTheRunnerGoesOn() async {
        let runner = ScriptRunner(dataDirectory: base)
        let clock = ContinuousClock()
        let nested = String(repeating: "`${", count: 57_000) + "1" + String(repeating: "}`", count: 57_000)
        #expect(failure(await run(nested, on: runner))?.kind == .parse)

        // 76 bytes: 300 references to one 1 MiB string, rendered as the result.
        let shared = #"let s="x";s.pad(1048575,"y");let a=[];for i in 0..300{a.push(s)}a"#
        var start = clock.now
        let output = failure(await run(shared, on: runner, timeout: 60))
        #expect(output?.kind == .limit)
        // the node's string size counts through the array (Rhai's data size), else the output cap stops it
        #expect(output?.message.contains("Output exceeds") == true
                || output?.message.contains("Length of string exceeds") == true, "\(output?.message ?? "")")
        #expect(clock.now - start < .seconds(60))

        // 2,000 distinct 1 MiB strings held in one array.
        let distinct = #"let a = []; for i in 0..2000 { let s = "x"; s.pad(1000000, "y"); a.push(s + i); } a.len()"#
        start = clock.now
        let memory = failure(await run(distinct, on: runner, timeout: 60))
        #expect(memory?.kind == .limit)
        #expect(memory?.message.contains("Memory budget") == true
                || memory?.message.contains("Length of string exceeds") == true, "\(memory?.message ?? "")")
        #expect(clock.now - start < .seconds(60))

        #expect(await run("40 + 2", on: runner).outcome == .success("42"))
    }

    @Test func aPlayOfExpensiveNativeCallsStopsSoonAfterItsTimeLimit() async {
        let runner = ScriptRunner(dataDirectory: base)
        let script = #"""
            let s = "a"; s.pad(1000000, "a"); let n = "a"; n.pad(100000, "a"); n += "b";
            let a = []; for i in 0..100000 { a.push(100000 - i); }
            loop { s.contains(n); s.index_of(n); a.contains(-1); let b = a; b.sort(); }
            """#
        let clock = ContinuousClock()
        let start = clock.now
        let result = await run(script, on: runner, timeout: 1)
        #expect(failure(result)?.kind == .timeout)
        #expect(clock.now - start < .seconds(6))
    }

    /// The memory ceiling, read from /proc: a process running the 2,000 × 1 MiB script with the
    /// node's budget peaks far below what it would build (2 GB), and fails with the budget's error.
    @Test func aRunOverItsBudgetStaysUnderAMemoryCeiling() async throws {
        let script = #"let a = []; for i in 0..2000 { let s = "x"; s.pad(1000000, "y"); a.push(s + i); } a.len()"#
        let run = try CirclesBinary.start(["run", "--max-memory", "67108864", "-e", script], in: base)
        var peakKiB = 0
        let deadline = ContinuousClock.now + .seconds(120)
        while run.process.isRunning, ContinuousClock.now < deadline {
            let status = (try? String(contentsOfFile: "/proc/\(run.process.pid)/status", encoding: .utf8)) ?? ""
            for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
                peakKiB = max(peakKiB, Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0)
            }
            try await Task.sleep(for: .milliseconds(10))  // ok: sampling the peak while the run lasts
        }
        let status = await run.process.stop()
        #expect(ChildProcess.exitCode(of: status) == 1)
        #expect(CirclesBinary.read(run.err).contains("Memory budget exceeded"))
        #expect(peakKiB > 0 && peakKiB < 400 << 10, "peak RSS \(peakKiB) KiB")
    }
}
