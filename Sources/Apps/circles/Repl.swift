import ArgumentParser
import Foundation
import Rhai

/// `circles repl`: an interactive Rhai prompt that keeps its variables between lines, like `rhai-repl`.
struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Interactive Rhai prompt (variables persist between lines; end a line with \\ to continue it).",
        discussion: "Example: circles repl, then `let x = 40;` and `x + 2` (prints 42). Ctrl-D ends it.")

    func run() throws {
        let engine = Engine()
        let scope = Scope()
        var buffer = ""
        // Functions defined on earlier lines, compiled again with each new line (scripts keep their functions).
        var functions = ""
        let interactive = isatty(0) != 0
        if interactive { print("Rhai REPL — type 'exit' or press Ctrl-D to quit, 'scope' to list variables.") }
        while true {
            if interactive {
                print(buffer.isEmpty ? "rhai> " : "....> ", terminator: "")
                fflush(nil)
            }
            guard let line = readLine() else { break }
            if line.hasSuffix("\\") {
                buffer += line.dropLast() + "\n"
                continue
            }
            let input = buffer + line
            buffer = ""
            switch input.trimmingCharacters(in: .whitespaces) {
            case "": continue
            case "exit", "quit": return
            case "scope":
                for name in scope.names { print("\(name) = \(scope.get(name)?.debugDescription ?? "()")") }
                continue
            default: break
            }
            let definesFunction = input.hasPrefix("fn ") || input.hasPrefix("private fn ")
            do {
                let value = try engine.eval(functions + input, scope: scope)
                if definesFunction { functions += input + "\n" }
                if !value.isUnit { print("=> \(value.debugDescription)") }
            } catch {
                print(error)
            }
            fflush(nil)
        }
    }
}
