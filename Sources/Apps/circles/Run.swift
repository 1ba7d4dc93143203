import ArgumentParser
import Rhai

/// `circles run (FILE | -e SCRIPT | -) [--json] [limits]`: runs a Rhai script like `rhai-run`.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a Rhai script and print its value.",
        discussion: """
            Exit code 0 on success, 1 on a script error, 2 on bad usage or an unreadable script. With --json the last line on stdout
            is {"value": V} or {"error": {"kind": K, "message": M, "line": L, "column": C}} and print output
            goes to stderr.
            """
    )

    @Option(name: [.customShort("e"), .customLong("eval")], help: ArgumentHelp("The script text.", valueName: "script")) var script: String?
    @Flag(help: "The last line on stdout is JSON: {\"value\": V} or {\"error\": {...}}; print output goes to stderr.") var json = false
    @Option(help: ArgumentHelp("Operations a script may run (0: no limit).", valueName: "n")) var maxOperations: Int?
    @Option(help: ArgumentHelp("Depth of nested function calls.", valueName: "n")) var maxCallDepth: Int?
    @Option(help: ArgumentHelp("Depth of nested expressions.", valueName: "n")) var maxExpressionDepth: Int?
    @Option(help: ArgumentHelp("Bytes of a string.", valueName: "n")) var maxStringSize: Int?
    @Option(help: ArgumentHelp("Elements of an array.", valueName: "n")) var maxArraySize: Int?
    @Option(help: ArgumentHelp("Entries of a map.", valueName: "n")) var maxMapSize: Int?
    @Option(help: ArgumentHelp("Bytes of values the script may hold at once (0: no budget).", valueName: "n")) var maxMemory: Int?
    @Option(help: ArgumentHelp("Variables a script may define at once (0: no limit).", valueName: "n")) var maxVariables: Int?
    @Option(help: ArgumentHelp("Functions a script may define (0: no limit).", valueName: "n")) var maxFunctions: Int?
    @Option(help: ArgumentHelp("Depth of nested expressions inside functions (0: as --max-expression-depth).", valueName: "n"))
    var maxFunctionExpressionDepth: Int?
    @Option(help: ArgumentHelp("Bytes of printed output and of the rendered value (0: no cap).", valueName: "n")) var maxOutput: Int?
    @Option(help: ArgumentHelp("Seconds the script may run.", valueName: "seconds")) var timeout: Double?
    @Argument(help: "Script file, or - to read the script from stdin.") var file: String?

    /// `RunRequest(fastArguments:)` must accept no more than this (it leaves anything in doubt to argument-parser).
    func validate() throws {
        if (script == nil) == (file == nil) { throw ValidationError("give exactly one of FILE or -e SCRIPT") }
        for (name, value) in [("--max-operations", maxOperations), ("--max-call-depth", maxCallDepth),
                              ("--max-expression-depth", maxExpressionDepth), ("--max-string-size", maxStringSize),
                              ("--max-array-size", maxArraySize), ("--max-map-size", maxMapSize),
                              ("--max-memory", maxMemory), ("--max-output", maxOutput), ("--max-variables", maxVariables),
                              ("--max-functions", maxFunctions), ("--max-function-expression-depth", maxFunctionExpressionDepth)] {
            if let value, value < 0 { throw ValidationError("\(name) needs a non-negative integer") }
        }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout needs a positive number of seconds") }
    }

    private var limits: Limits {
        var limits = Limits()
        if let maxOperations { limits.maxOperations = maxOperations }
        if let maxCallDepth { limits.maxCallDepth = maxCallDepth }
        if let maxExpressionDepth { limits.maxExpressionDepth = maxExpressionDepth }
        if let maxStringSize { limits.maxStringSize = maxStringSize }
        if let maxArraySize { limits.maxArraySize = maxArraySize }
        if let maxMapSize { limits.maxMapSize = maxMapSize }
        if let maxMemory { limits.maxMemory = maxMemory }
        if let maxOutput { limits.maxOutput = maxOutput }
        if let maxVariables { limits.maxVariables = maxVariables }
        if let maxFunctions { limits.maxFunctions = maxFunctions }
        if let maxFunctionExpressionDepth { limits.maxFunctionExpressionDepth = maxFunctionExpressionDepth }
        return limits
    }

    func run() throws {
        let source: RunRequest.Source
        if let script {
            source = .text(script)
        } else if let file {
            source = .file(file)
        } else {
            throw ExitCode(2)
        }
        let code = RunRequest(source: source, json: json, limits: limits, timeout: timeout).execute()
        if code != 0 { throw ExitCode(code) }
    }
}
