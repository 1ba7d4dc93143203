import Foundation
import Rhai
import Testing

/// Indexing, index assignment and `push` on a local variable take in-place fast paths; the same
/// operations on a variable a closure captured take the general path. Both must give the same
/// values, errors and limits.
@Suite struct InPlaceAccessTests {
    /// Scripts working on a variable `x`.
    static let cases: [String] = [
        "let x = [[1, 2], [3, 4]]; x[1][0] += 10; x[0][1] = 7; x",
        "let x = [[0.5, 1.5]]; x[0][1] *= 3.0; x[0][0] -= 0.25; x[-1][-1]",
        #"let x = [[1], "abc", #{a: 1}, [3, [4]]]; x[1][0] = 'z'; x[2]["b"] = 2; x[3][1][0] = 9; x"#,
        #"let x = [[1], "abc"]; x[1][1]"#,
        "let x = [[1, 2]]; x[0][5] = 1",
        "let x = [[1, 2]]; x[3][0] = 1",
        "let x = [[1, 2]]; x[0][-3]",
        "let x = [[1, 2]]; x[2][0]",
        #"let x = [[1, 2]]; x[0]["k"] = 1"#,
        "let x = [1, 2]; x[0][0] = 1",
        "let x = [5, 6]; let k = 1; x[k] + x[-2]",
        #"let x = #{a: 1}; x["a"] += 2; x["b"] = [1]; x["b"] += [2]; x"#,
        #"let x = #{a: 1}; x["a"] + x["missing"] ?? 40"#,
        #"let x = #{}; x["n"] += 1"#,
        #"let x = #{}; try { x["n"] += 1 } catch {} x"#,
        "let x = []; x.push(1); x.push([2, 3]); x.push(#{}); x",
        "let x = blob(); x.push(300); x",
        "let x = 5; x.push(1)",
    ]

    static func outcome(_ script: String, _ limits: Limits = Limits()) -> String {
        do {
            return "value \(try evalScript(script, limits: limits))"
        } catch {
            return "error \(error.kind) \(error.message)"
        }
    }

    static func captured(_ script: String) -> String {
        script.replacingOccurrences(of: "; ", with: "; let keep = || x; ", options: [], range: script.range(of: "; "))
    }

    @Test(arguments: cases) func fastAndGeneralPathsAgree(_ script: String) {
        let general = Self.captured(script)
        #expect(general != script)
        #expect(Self.outcome(script) == Self.outcome(general))
    }

    @Test func valuesAreWhatRhaiGives() throws {
        #expect(try evalScript("let x = [[1, 2], [3, 4]]; x[1][0] += 10; x[1][0] * 100 + x[0][1]") == .int(1302))
        #expect(try evalScript("let r = [0.0, 0.0]; let x = []; x.pad(2, r); x[1][0] = 2.5; x[0][0] + x[1][0]") == .float(2.5))
        #expect(try evalScript(#"let x = #{}; for k in ["a", "b", "a"] { x[k] = (x[k] ?? 0) + 1 } x["a"] * 10 + x["b"]"#) == .int(21))
        #expect(try evalScript("let x = []; for i in 0..1000 { x.push(i) } x.len") == .int(1000))
    }

    @Test func limitsStillApply() {
        var arrays = Limits()
        arrays.maxArraySize = 10
        #expect(scriptError("let x = []; for i in 0..20 { x.push(i) }", limits: arrays)?.kind == .dataTooLarge)
        #expect(scriptError("let x = [[1, 2, 3], [4]]; x[1][0] = [1, 2, 3, 4, 5, 6, 7];", limits: arrays)?.kind == .dataTooLarge)
        #expect(scriptError("let x = [[1, 2, 3], [4]]; x[1][0] = [1, 2, 3];", limits: arrays) == nil)
        var maps = Limits()
        maps.maxMapSize = 3
        #expect(scriptError(#"let x = #{}; for i in 0..5 { x["k" + i] = i }"#, limits: maps)?.kind == .dataTooLarge)
        var memory = Limits()
        memory.maxMemory = 100_000
        #expect(scriptError("let x = []; loop { x.push(1) }", limits: memory)?.kind == .dataTooLarge)
        var operations = Limits()
        operations.maxOperations = 10_000
        #expect(scriptError("let x = [[0]]; loop { x[0][0] += 1 }", limits: operations)?.kind == .tooManyOperations)
        #expect(scriptError("let x = []; loop { x.push(x.len) }", limits: operations)?.kind == .tooManyOperations)
    }
}
