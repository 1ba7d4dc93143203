import Foundation
import Testing

/// One signature of Rhai's standard library as `all_in_one.d.rhai` lists it (`fn name(p: Type) -> R;`,
/// `fn get name(…)`, `fn set name(…)` or `op +(A, B) -> R;`), and a script calling it with a sample
/// value of each parameter type.
struct StandardLibrarySignature: Sendable, CustomTestStringConvertible {
    enum Form: Sendable { case function, getter, setter, op }

    let text: String
    let form: Form
    let name: String
    let params: [(name: String, type: String)]

    var testDescription: String { text }

    /// Script functions that callbacks passed by name (`"cb"`) or as `Fn("cb")` resolve to.
    static let preamble = "fn cb() { true } fn cb(a) { true } fn cb(a, b) { true } fn cb(a, b, c) { true }\n"

    /// A literal of each parameter type scripts can make with a default engine; nil for the types only
    /// a host can make (other integer widths, f32, Decimal, ranges of those).
    static func sample(_ type: String, _ param: String, _ function: String) -> String? {
        switch type {
        case "int": return function == "sleep" ? "0" : "2"
        case "float": return function == "sleep" ? "0.0" : "2.5"
        case "bool": return "true"
        case "char": return "'a'"
        case "String":
            if ["filter", "filter_func", "comparer", "mapper", "reducer", "fn_name"].contains(param) { return "\"cb\"" }
            return function.hasPrefix("parse_") ? "\"12\"" : "\"abc\""
        case "Array": return "[1, 2, 3]"
        case "Map": return "#{a: 1}"
        case "Blob": return "blob(4, 1)"
        case "FnPtr": return "Fn(\"cb\")"
        case "Instant": return "timestamp()"
        case "Range<int>", "ExclusiveRange": return "(1..3)"
        case "RangeInclusive<int>", "InclusiveRange": return "(1..=3)"
        case "?": return "1"
        case "()": return "()"
        default: return nil
        }
    }

    /// The script calling this signature, or nil when a parameter type cannot be made by a script.
    var script: String? {
        var args: [String] = []
        for p in params where !p.name.hasPrefix("...") {
            guard let v = Self.sample(p.type, p.name, name) else { return nil }
            args.append(v)
        }
        let call: String
        switch form {
        case .function:
            if name == "call", params.first?.type == "?" {
                call = "(\(args[0])).call(\(args.dropFirst().joined(separator: ", ")))"
            } else {
                call = "\(name)(\(args.joined(separator: ", ")))"
            }
        case .getter: call = "(\(args[0])).\(name)"
        case .setter: call = "let x = \(args[0]); x.\(name) = \(args[1]); x"
        case .op:
            if args.count == 1 {
                call = "\(name)(\(args[0]))"
            } else if name.hasSuffix("="), !["==", "!=", "<=", ">="].contains(name) {
                call = "let x = \(args[0]); x \(name) \(args[1]); x"
            } else {
                call = "(\(args[0])) \(name) (\(args[1]))"
            }
        }
        return Self.preamble + call
    }

    /// All signatures listed in the definitions file.
    static func load(_ url: URL) -> [StandardLibrarySignature] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { parse(String($0)) }
    }

    static func parse(_ line: String) -> StandardLibrarySignature? {
        var rest: Substring
        var form: Form
        if line.hasPrefix("fn get ") { rest = line.dropFirst(7); form = .getter }
        else if line.hasPrefix("fn set ") { rest = line.dropFirst(7); form = .setter }
        else if line.hasPrefix("fn ") { rest = line.dropFirst(3); form = .function }
        else if line.hasPrefix("op ") { rest = line.dropFirst(3); form = .op }
        else { return nil }
        guard let open = rest.firstIndex(of: "(") else { return nil }
        let name = String(rest[..<open])
        // the parameter list, up to the parenthesis matching `open` (types may be `()`)
        var depth = 0
        var close = open
        for k in rest[open...].indices {
            if rest[k] == "(" { depth += 1 } else if rest[k] == ")" { depth -= 1; if depth == 0 { close = k; break } }
        }
        rest = rest[rest.index(after: open)..<close]
        var params: [(name: String, type: String)] = []
        if !rest.trimmingCharacters(in: .whitespaces).isEmpty {
            for piece in rest.split(separator: ",") {
                let p = piece.trimmingCharacters(in: .whitespaces)
                if let colon = p.firstIndex(of: ":") {
                    params.append((String(p[..<colon]), p[p.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
                } else {
                    params.append(("", p))
                }
            }
        }
        if form == .op, name != "in", name.contains(where: \.isLetter) { return nil }  // internal names (`minus`)
        return StandardLibrarySignature(text: line, form: form, name: name, params: params)
    }
}
