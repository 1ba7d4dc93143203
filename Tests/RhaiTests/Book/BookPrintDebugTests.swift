import Foundation
import Rhai
import Testing

/// Rhai Book — `print` and `debug` (language/print-debug.md, ref/print-debug.md).
@Suite struct BookPrintDebugTests {
    static let cases: [BookCase] = [
        // language/print-debug.md
        .prints("print(\"hello\");", ["hello"]),
        .prints("print(1 + 2 + 3);", ["6"]),
        .prints("print(\"hello\" + 42);", ["hello42"]),
        .prints("debug(\"world!\");", ["\"world!\""]),
        .prints("print(\"hi\"); print(42);", ["hi", "42"]),
        .prints("debug(\"s\"); debug('c');", ["\"s\"", "'c'"]),
        .prints("debug([1, \"a\"]);", ["[1, \"a\"]"]),
        .prints("debug(#{b: 1, a: ()});", ["#{\"a\": (), \"b\": 1}"]),
        .prints("print(1.0); print(());", ["1.0", ""]),
        .prints("print([1, \"a\", 'b']);", ["[1, \"a\", 'b']"]),
        .prints("print(#{a: \"x\"});", ["#{\"a\": \"x\"}"]),
        .prints("print('c'); print(true);", ["c", "true"]),
        .prints("debug(42); debug(1.5); debug(true); debug(());", ["42", "1.5", "true", "()"]),
        .prints("debug(\"tab\\there\");", ["\"tab\\there\""]),
        .prints("fn foo() {} debug(Fn(\"foo\"));", ["Fn(foo)"]),
        .prints("print();", [""]),
        .value("print(1)", .unit),
        .value("debug(1)", .unit),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }

    /// Override `print` and `debug` with callback functions (`Engine.onPrint`, `Engine.onDebug`).
    @Test func callbacksReceiveTheOutput() throws {
        final class Log: @unchecked Sendable {
            let lock = NSLock()
            var entries: [String] = []
            func add(_ s: String) { lock.withLock { entries.append(s) } }
        }
        let log = Log()
        let engine = Engine()
        engine.onPrint = { log.add("entry: \($0)") }
        engine.onDebug = { log.add("DEBUG: \($0)") }
        _ = try engine.eval(#"print("hello"); debug("world!"); print(1 + 2 + 3);"#)
        #expect(log.entries == ["entry: hello", "DEBUG: \"world!\"", "entry: 6"])
    }
}
