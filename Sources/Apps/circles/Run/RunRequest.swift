import Glibc
import Rhai

/// One `circles run`: the script (text, a file, or `-` for stdin), how to report, the limits and the
/// timeout. `execute` is the whole command after parsing, for argument-parser's `Run` and for the
/// start-up fast path (`RunRequest(fastArguments:)`) alike; it uses no Foundation.
struct RunRequest {
    enum Source: Equatable {
        case text(String)
        case file(String)
    }

    /// Stack of the thread that compiles and runs the script (as `Engine.run` gives its runs).
    static let stackSize = 256 << 20

    var source: Source
    var json = false
    var limits = Limits()
    var timeout: Double?

    /// Runs the script, prints what `circles run --help` describes and returns the exit code: 0 ok,
    /// 1 a script error, 2 an unreadable script.
    func execute() -> Int32 {
        let text: String
        switch source {
        case .text(let script):
            text = script
        case .file(let path):
            guard let read = Self.contents(of: path) else {
                Self.writeStandardError("circles run: cannot read \(path)\n")
                return 2
            }
            text = read
        }
        let engine = Engine()
        engine.limits = limits
        let json = self.json
        let out: @Sendable (String) -> Void
        if json {
            out = { line in Self.writeStandardError(line + "\n") }
        } else {
            out = { line in print(line); fflush(nil) }
        }
        let sink = OutputSink(print: out, debug: out)
        let cancellation = Cancellation()
        if let timeout {
            SystemThread.detach {
                SystemThread.sleep(seconds: timeout)
                cancellation.cancel()
            }
        }
        let limits = self.limits
        var code: Int32 = 0
        SystemThread.join(stackSize: Self.stackSize) {
            do throws(RhaiError) {
                let ast = try engine.compileOnCurrentThread(text, stackSize: Self.stackSize)
                let value = try engine.runOnCurrentThread(ast, scope: Scope(), output: sink, cancellation: cancellation,
                                                          stackSize: Self.stackSize)
                let cap = limits.maxOutput > 0 ? limits.maxOutput : .max
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
                    Self.writeStandardError("\(error)\n")
                }
                code = 1
            }
        }
        return code
    }

    /// The UTF-8 text of a file (`-`: standard input), or nil when it cannot be read or is not UTF-8.
    static func contents(of path: String) -> String? {
        let descriptor = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { if descriptor != STDIN_FILENO { close(descriptor) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Writes all of `text` to standard error, unbuffered.
    static func writeStandardError(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
