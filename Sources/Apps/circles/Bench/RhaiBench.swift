import ArgumentParser
import Foundation
import Rhai

/// `circles bench rhai`: the same work as a Rhai script and as native Swift, median wall time of each.
struct RhaiBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rhai",
        abstract: "Rhai engine vs native Swift: loop, fib(25), sieve, string building, sort, map (median of --runs).")

    @Option(help: "Runs per case; the median is reported.")
    var runs = 5

    struct Case: Sendable {
        var name: String
        var script: String
        var native: @Sendable () -> Int64
    }

    static let cases: [Case] = [
        Case(name: "loop: 1,000,000 additions",
             script: "let s = 0; for i in 0..1000000 { s += i; } s",
             native: { var s: Int64 = 0; for i in 0..<Int64(1_000_000) { s += opaque(i) }; return s }),
        Case(name: "fib(25), recursive",
             script: "fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } } fib(25)",
             native: { nativeFib(opaque(25)) }),
        Case(name: "primes < 100,000 (array sieve)",
             script: """
                 const N = 100000; let sieve = []; sieve.pad(N, true); let count = 0;
                 for p in 2..N { if sieve[p] { count += 1; for k in range(2 * p, N, p) { sieve[k] = false; } } }
                 count
                 """,
             native: {
                 let n = Int(opaque(100_000))
                 var sieve = [Bool](repeating: true, count: n)
                 var count: Int64 = 0
                 for p in 2..<n where sieve[p] {
                     count += 1
                     for k in stride(from: 2 * p, to: n, by: p) { sieve[k] = false }
                 }
                 return count
             }),
        Case(name: "string building (100,000 appends)",
             script: #"let s = ""; for i in 0..100000 { s += i; s += ","; } s.len()"#,
             native: {
                 var s = ""
                 for i in 0..<opaque(Int64(100_000)) { s += String(i); s += "," }
                 return Int64(s.unicodeScalars.count) as Int64
             }),
        Case(name: "sort 100,000 integers",
             script: """
                 let a = []; let x = 42;
                 for i in 0..100000 { x = (x * 1103515245 + 12345) % 2147483648; a.push(x); }
                 a.sort(); a[0]
                 """,
             native: {
                 var a: [Int64] = []
                 var x: Int64 = opaque(42)
                 for _ in 0..<Int64(100_000) { x = (x * 1_103_515_245 + 12345) % 2_147_483_648; a.append(x) }
                 a.sort()
                 return a[0]
             }),
        Case(name: "map: 100,000 inserts + lookups",
             script: """
                 let m = #{}; for i in 0..100000 { m[`k${i}`] = i; }
                 let s = 0; for i in 0..100000 { s += m[`k${i}`]; } s
                 """,
             native: {
                 var m: [String: Int64] = [:]
                 for i in 0..<opaque(Int64(100_000)) { m["k\(i)"] = i }
                 var s: Int64 = 0
                 for i in 0..<opaque(Int64(100_000)) { s += m["k\(i)"]! }
                 return s
             }),
    ]

    static func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    func run() throws {
        let engine = Engine()
        print("| script | Rhai (this engine) | native Swift | ratio |")
        print("|---|---:|---:|---:|")
        for c in Self.cases {
            let ast = try engine.compile(c.script)
            var rhaiValue = Dynamic.unit
            var nativeValue: Int64 = 0
            var rhaiTimes: [Double] = []
            var nativeTimes: [Double] = []
            for _ in 0..<max(1, runs) {
                rhaiTimes.append(try Self.time { rhaiValue = try engine.run(ast, scope: Scope(), output: nil, cancellation: nil) })
                nativeTimes.append(Self.time { nativeValue = c.native() })
            }
            guard rhaiValue == .int(nativeValue) else {
                throw ValidationError("\(c.name): Rhai gave \(rhaiValue), native \(nativeValue)")
            }
            let (r, n) = (Self.median(rhaiTimes), Self.median(nativeTimes))
            print("| \(c.name) | \(Self.format(r)) | \(Self.format(n)) | \(String(Int((r / max(n, 1e-9)).rounded())))× |")
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds >= 0.1 ? "\((seconds * 100).rounded() / 100) s" : "\((seconds * 10_000).rounded() / 10) ms"
    }
}

@inline(never) func opaque<T>(_ x: T) -> T { x }

@inline(never) func nativeFib(_ n: Int64) -> Int64 { n < 2 ? n : nativeFib(n - 1) + nativeFib(n - 2) }
