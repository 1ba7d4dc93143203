import CirclesTestSupport
import Foundation
import Testing
import TestSupport

/// `circles run` parses its usual spellings without argument-parser (a start-up fast path) and hands
/// everything else to argument-parser: both print the same output and exit with the documented codes
/// (0 ok, 1 script error, 2 bad usage or an unreadable script).
@Suite(.enabled(if: CirclesBinary.shouldRun, "the circles executable is not built"))
struct RunCommandTests {
    @Test func theUsualSpellingsPrintAndExitAsDocumented() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-run")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "print(\"from file\"); 40 + 2\n".write(toFile: directory + "/script.rhai", atomically: true, encoding: .utf8)
        let cases: [([String], code: Int32, out: String)] = [
            (["-e", "print(1); 40 + 2"], 0, "1\n42\n"),
            (["--eval", "40 + 2"], 0, "42\n"),
            (["--eval=40 + 2"], 0, "42\n"),
            (["-e", ""], 0, ""),
            (["-e", "let x = 1;"], 0, ""),
            ([directory + "/script.rhai"], 0, "from file\n42\n"),
            (["--max-operations", "0", "--max-call-depth=8", directory + "/script.rhai"], 0, "from file\n42\n"),
            (["--json", "-e", "print(\"p\"); 7"], 0, "{\"value\": 7}\n"),
            (["-e", "[1, \"a\"]", "--json"], 0, "{\"value\": [1,\"a\"]}\n"),
            (["-e", "throw \"boom\""], 1, ""),
            (["-e", "let x = ;"], 1, ""),
            (["--json", "-e", "throw \"boom\""], 1,
             "{\"error\": {\"kind\": \"ErrorRuntime\", \"message\": \"boom\", \"line\": 1, \"column\": 1}}\n"),
            (["--max-operations=10", "--json", "-e", "loop {}"], 1,
             "{\"error\": {\"kind\": \"ErrorTooManyOperations\", \"message\": \"Too many operations\", \"line\": 1, \"column\": 1}}\n"),
            (["--max-output", "3", "-e", "\"abcdef\""], 1, ""),
            ([directory + "/missing.rhai"], 2, ""),
            ([directory], 2, ""),
        ]
        for (arguments, code, out) in cases {
            let result = try await CommandResult.circles(["run"] + arguments)
            #expect(result.code == code, "\(arguments): \(result.err)")
            #expect(result.out == out, "\(arguments)")
        }
        let json = try await CommandResult.circles(["run", "--json", "-e", "print(\"p\"); 7"])
        #expect(json.err == "p\n")
        let failed = try await CommandResult.circles(["run", "-e", "throw \"boom\""])
        #expect(failed.err == "ErrorRuntime: boom (line 1, position 1)\n")
        let missing = try await CommandResult.circles(["run", directory + "/missing.rhai"])
        #expect(missing.err == "circles run: cannot read \(directory)/missing.rhai\n")
    }

    @Test func standardInputAndItsEncoding() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-run")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "40 + 2\n".write(toFile: directory + "/in.rhai", atomically: true, encoding: .utf8)
        let fromStandardInput = try await CommandResult.run(CirclesBinary.path, ["run", "-"], stdin: directory + "/in.rhai")
        #expect(fromStandardInput.code == 0 && fromStandardInput.out == "42\n", "\(fromStandardInput.err)")
        try Data([0x34, 0x32, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: directory + "/bad.rhai"))
        let notUTF8 = try await CommandResult.circles(["run", directory + "/bad.rhai"])
        #expect(notUTF8.code == 2 && notUTF8.err.contains("cannot read"), "\(notUTF8.err)")
    }

    @Test func aTimeoutStopsTheScript() async throws {
        let result = try await CommandResult.circles(["run", "--timeout", "0.5", "-e", "loop {}"])
        #expect(result.code == 1)
        #expect(result.err.hasPrefix("ErrorTerminated"), "\(result.err)")
    }

    /// Spellings the fast path leaves to argument-parser: usage errors exit 2 with its messages, and the
    /// rest runs as before.
    @Test func everythingElseIsArgumentParsers() async throws {
        let usage: [[String]] = [
            [], ["-e"], ["--eval="], ["-e", "1", "file.rhai"], ["a.rhai", "b.rhai"], ["--nope", "-e", "1"],
            ["--max-operations", "-1", "-e", "1"], ["--max-call-depth", "x", "-e", "1"], ["--max-memory=-5", "-e", "1"],
            ["--timeout", "0", "-e", "1"], ["--timeout", "nan", "-e", "1"], ["--timeout=-1", "-e", "1"], ["-e", "-1"],
        ]
        for arguments in usage {
            let result = try await CommandResult.circles(["run"] + arguments)
            #expect(result.code == 2, "\(arguments): \(result.err)")
            #expect(result.err.hasPrefix("Error: ") && result.err.contains("Usage: circles run"), "\(arguments): \(result.err)")
            #expect(result.out.isEmpty, "\(arguments)")
        }
        let unknown = try await CommandResult.circles(["run", "--nope", "-e", "1"])
        #expect(unknown.err.hasPrefix("Error: Unknown option '--nope'"))
        let ran: [([String], String)] = [
            (["-e", "1", "-e", "2"], "2\n"), (["--json", "--json", "-e", "1"], "{\"value\": 1}\n"), (["--", "-"], "42\n"),
        ]
        for (arguments, out) in ran {
            let result = try await CommandResult.run(CirclesBinary.path, ["run"] + arguments, stdin: try Self.fortyTwo())
            #expect(result.code == 0 && result.out == out, "\(arguments): \(result.err)")
        }
        let help = try await CommandResult.circles(["run", "-e", "1", "--help"])
        #expect(help.code == 0 && help.out.contains("USAGE: circles run"))
    }

    private static func fortyTwo() throws -> String {
        let directory = try TemporaryDirectory.make(prefix: "circles-run")
        try "40 + 2\n".write(toFile: directory + "/in.rhai", atomically: true, encoding: .utf8)
        return directory + "/in.rhai"
    }
}
