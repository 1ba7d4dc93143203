extension RunRequest {
    /// Parses the usual spellings of `circles run`'s arguments (`-e SCRIPT`, `--eval[=]SCRIPT`, `--json`,
    /// `--max-…[=]N`, `--timeout[=]S`, one FILE or `-`) without argument-parser, whose command tree costs
    /// more than the rest of a short run's start-up. Nil for anything else — help, an unknown, repeated or
    /// invalid option, a value that looks like an option, `--` — and then argument-parser parses the same
    /// arguments and runs them or reports the usage error, so both accept the same command lines.
    init?(fastArguments arguments: ArraySlice<String>) {
        var request = RunRequest(source: .text(""))
        var script: String?
        var file: String?
        var seen: [Substring] = []
        var rest = arguments
        while let argument = rest.popFirst() {
            if argument == "-" || !argument.hasPrefix("-") {
                guard file == nil else { return nil }
                file = argument
                continue
            }
            if argument == "--json" {
                guard !request.json else { return nil }
                request.json = true
                continue
            }
            var name = argument[...]
            let value: String
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = argument[..<equals]
                value = String(argument[argument.index(after: equals)...])
                guard !value.isEmpty else { return nil }
            } else {
                guard let next = rest.popFirst(), !next.hasPrefix("-") else { return nil }
                value = next
            }
            if name == "-e" { name = "--eval" }
            guard !seen.contains(name) else { return nil }
            seen.append(name)
            switch name {
            case "--eval":
                script = value
            case "--timeout":
                guard let seconds = Double(value), seconds > 0 else { return nil }
                request.timeout = seconds
            default:
                guard let count = Int(value), count >= 0, request.limits.set(option: name, to: count) else { return nil }
            }
        }
        switch (script, file) {
        case (let script?, nil): request.source = .text(script)
        case (nil, let file?): request.source = .file(file)
        default: return nil
        }
        self = request
    }
}
