import Foundation
import Rhai
import TestSupport
import Testing

/// Collects print/debug output of runs.
final class CapturedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    var lines: [String] { lock.withLock { storage } }

    var sink: OutputSink {
        OutputSink { [self] line in lock.withLock { storage.append(line) } }
    }
}

/// Runs a script, returning its value and printed lines.
func runScript(_ script: String, limits: Limits = Limits(), scope: Scope = Scope()) throws(RhaiError) -> (Dynamic, [String]) {
    let engine = Engine()
    engine.limits = limits
    let out = CapturedOutput()
    let ast = try engine.compile(script)
    let value = try engine.run(ast, scope: scope, output: out.sink, cancellation: nil)
    return (value, out.lines)
}

func evalScript(_ script: String, limits: Limits = Limits()) throws(RhaiError) -> Dynamic {
    try runScript(script, limits: limits).0
}

/// The error a script fails with, or nil when it succeeds.
func scriptError(_ script: String, limits: Limits = Limits()) -> RhaiError? {
    do {
        _ = try runScript(script, limits: limits)
        return nil
    } catch {
        return error
    }
}

/// Tests/RhaiScripts: Rhai's example scripts and their expected output.
let exampleScriptsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("RhaiScripts")

/// The error kinds of several runs, computed on a dedicated thread (heavy scripts must not hold the
/// cooperative pool that other tests need).
func errorKinds(_ runs: [(String, Limits)]) async -> [RhaiError.Kind?] {
    await BackgroundThread.run { runs.map { scriptError($0.0, limits: $0.1)?.kind } }
}
