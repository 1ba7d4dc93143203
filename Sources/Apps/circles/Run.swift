import ArgumentParser
import Foundation
import Rhai

/// `circles run (FILE | -e SCRIPT) [--json] [limits]`: runs a Rhai script like `rhai-run`.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a Rhai script and print its value.",
        discussion: """
            circles run (FILE | -e SCRIPT) [--json] [--max-operations N] [--max-call-depth N]
              [--max-expression-depth N] [--max-function-expression-depth N] [--max-string-size N] [--max-array-size N]
              [--max-map-size N] [--max-variables N] [--max-functions N] [--max-memory N] [--max-output N]
              [--timeout SECONDS]
            Exit code 0 on success, 1 on a script error, 2 on bad usage. With --json the last line on stdout
            is {"value": V} or {"error": {"kind": K, "message": M, "line": L, "column": C}} and print output
            goes to stderr.
            """
    )

    @Argument(parsing: .captureForPassthrough, help: "FILE or -e SCRIPT, then options.")
    var arguments: [String] = []

    struct Usage: Error { var message: String }

    struct Options {
        var script: String?
        var path: String?
        var json = false
        var limits = Limits()
        var timeout: Double?
    }

    static func parse(_ args: [String]) throws(Usage) -> Options {
        var o = Options()
        var k = 0
        func value(_ flag: String) throws(Usage) -> String {
            k += 1
            guard k < args.count else { throw Usage(message: "\(flag) needs a value") }
            return args[k]
        }
        func number(_ flag: String) throws(Usage) -> Int {
            guard let n = Int(try value(flag)), n >= 0 else { throw Usage(message: "\(flag) needs a non-negative integer") }
            return n
        }
        while k < args.count {
            let a = args[k]
            switch a {
            case "-e", "--eval": o.script = try value(a)
            case "--json": o.json = true
            case "--max-operations": o.limits.maxOperations = try number(a)
            case "--max-call-depth": o.limits.maxCallDepth = try number(a)
            case "--max-expression-depth": o.limits.maxExpressionDepth = try number(a)
            case "--max-string-size": o.limits.maxStringSize = try number(a)
            case "--max-array-size": o.limits.maxArraySize = try number(a)
            case "--max-map-size": o.limits.maxMapSize = try number(a)
            case "--max-function-expression-depth": o.limits.maxFunctionExpressionDepth = try number(a)
            case "--max-variables": o.limits.maxVariables = try number(a)
            case "--max-functions": o.limits.maxFunctions = try number(a)
            case "--max-memory": o.limits.maxMemory = try number(a)
            case "--max-output": o.limits.maxOutput = try number(a)
            case "--timeout":
                guard let t = Double(try value(a)), t > 0 else { throw Usage(message: "--timeout needs a positive number of seconds") }
                o.timeout = t
            default:
                if a.hasPrefix("-") && a != "-" { throw Usage(message: "unknown option \(a)") }
                if o.path != nil { throw Usage(message: "only one script file can be given") }
                o.path = a
            }
            k += 1
        }
        if (o.script == nil) == (o.path == nil) { throw Usage(message: "give exactly one of FILE or -e SCRIPT") }
        return o
    }

    func run() throws {
        let options: Options
        do {
            options = try Run.parse(arguments)
        } catch {
            FileHandle.standardError.write(Data("circles run: \(error.message)\n\(Run.helpMessage())\n".utf8))
            throw ExitCode(2)
        }
        var source: String
        if let s = options.script {
            source = s
        } else if let path = options.path {
            let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path)
            guard let data, let text = String(data: data, encoding: .utf8) else {
                FileHandle.standardError.write(Data("circles run: cannot read \(path)\n".utf8))
                throw ExitCode(2)
            }
            source = text
        } else {
            throw ExitCode(2)
        }
        let engine = Engine()
        engine.limits = options.limits
        let json = options.json
        let out: @Sendable (String) -> Void
        if json {
            out = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        } else {
            out = { line in print(line); fflush(nil) }
        }
        let sink = OutputSink(print: out, debug: out)
        let cancellation = Cancellation()
        if let timeout = options.timeout {
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: timeout)
                cancellation.cancel()
            }
        }
        do {
            let ast = try engine.compile(source)
            let value = try engine.run(ast, scope: Scope(), output: sink, cancellation: cancellation)
            let cap = options.limits.maxOutput > 0 ? options.limits.maxOutput : .max
            if json {
                print("{\"value\": \(try value.jsonText(limit: cap, maxDepth: .max))}")
            } else if !value.isUnit {
                print(try value.text(limit: cap))
            }
        } catch {
            if json {
                let kind = Dynamic.string(error.kind.name).jsonText
                let message = Dynamic.string(error.message).jsonText
                print("{\"error\": {\"kind\": \(kind), \"message\": \(message), \"line\": \(error.line), \"column\": \(error.column)}}")
            } else {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
            }
            throw ExitCode(1)
        }
    }
}
