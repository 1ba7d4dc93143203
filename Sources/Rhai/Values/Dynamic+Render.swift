extension Dynamic {
    /// How a value is written out: Rhai's `to_string` form, its `debug` form, JSON, or the JSON of
    /// Rhai's `to_json` (which writes a character in its debug form, `'x'`, as Rhai does).
    enum TextStyle { case display, debug, json, scriptJSON }

    /// JSON nests at most this deep, in both directions: `parse_json` (and the node's `JSONParser`)
    /// reject deeper documents, so the writer refuses deeper values rather than write what cannot be read back.
    public static let maxJSONDepth = 128

    /// The `to_string` form, stopping with `ErrorDataTooLarge` once it passes `limit` bytes.
    public func text(limit: Int) throws(RhaiError) -> String {
        var w = TextWriter(limit: limit)
        try render(.display, into: &w)
        return w.text
    }

    /// Compact JSON (map keys sorted), stopping with `ErrorDataTooLarge` once it passes `limit` bytes
    /// or when containers nest deeper than `maxDepth`.
    public func jsonText(limit: Int, maxDepth: Int = Dynamic.maxJSONDepth) throws(RhaiError) -> String {
        var w = TextWriter(limit: limit)
        try render(.json, into: &w, maxDepth: maxDepth)
        return w.text
    }

    /// The `to_string` form cut at `limit` bytes (with "…" when cut), for messages.
    func preview(limit: Int) -> String {
        var w = TextWriter(limit: limit)
        do throws(RhaiError) { try render(.display, into: &w) } catch { return w.text + "…" }
        return w.text
    }

    private enum Piece {
        case value(Dynamic, depth: Int)
        case text(String)
    }

    /// Writes the value in `style` with an explicit work list instead of recursion, so neither deep
    /// nesting nor the size of the output can exhaust the stack or memory.
    func render(_ style: TextStyle, into w: inout TextWriter, maxDepth: Int = .max) throws(RhaiError) {
        if style == .display {
            switch plain {
            case .unit: return
            case .string(let s): return try w.write(s)
            case .char(let c): return try w.write(c)
            case .float(let v): return try w.write(Dynamic.formatFloat(v))
            case let v where v.isScalarText: return try v.render(.debug, into: &w)
            default: break
            }
        }
        let json = style == .json || style == .scriptJSON
        var work: [Piece] = [.value(self, depth: 0)]
        while let piece = work.popLast() {
            let v: Dynamic, depth: Int
            switch piece {
            case .text(let s): try w.write(s); continue
            case .value(let x, let d): (v, depth) = (x, d)
            }
            switch v {
            case .unit: try w.write(json ? "null" : "()")
            case .bool(let b): try w.write(b ? "true" : "false")
            case .int(let x): try w.write(String(x))
            case .float(let x):
                if json { try w.write(x.isFinite ? Dynamic.formatFloat(x) : "null") } else { try w.write(Dynamic.formatFloatDebug(x)) }
            case .char(let c):
                if style == .json { try Dynamic.writeQuoted(String(Character(c)), json: true, into: &w) }
                else { try w.write("'" + Dynamic.escape(String(Character(c)), quote: "'") + "'") }
            case .string(let s): try Dynamic.writeQuoted(s, json: json, into: &w)
            case .array(let a):
                if json && depth >= maxDepth { throw Dynamic.tooDeep(maxDepth) }
                try w.write("[")
                work.append(.text("]"))
                for (k, x) in a.enumerated().reversed() {
                    work.append(.value(x, depth: depth + 1))
                    if k > 0 { work.append(.text(json ? "," : ", ")) }
                }
            case .map(let m):
                if json && depth >= maxDepth { throw Dynamic.tooDeep(maxDepth) }
                try w.write(json ? "{" : "#{")
                work.append(.text("}"))
                for (k, key) in m.keys.sorted().enumerated().reversed() {
                    work.append(.value(m[key]!, depth: depth + 1))
                    work.append(.text(json ? "\"" + Dynamic.escape(key, quote: "\"", json: true) + "\":"
                                           : "\"" + Dynamic.escape(key, quote: "\"") + "\": "))
                    if k > 0 { work.append(.text(json ? "," : ", ")) }
                }
            case .blob(let b):
                if json {
                    try w.write("[")
                    for (k, byte) in b.enumerated() { try w.write(k > 0 ? "," + String(byte) : String(byte)) }
                    try w.write("]")
                } else {
                    try w.write("[")
                    for (k, byte) in b.enumerated() {
                        if k > 0 && k % 8 == 0 { try w.write(" ") }
                        try w.write((byte < 16 ? "0" : "") + String(byte, radix: 16))
                    }
                    try w.write("]")
                }
            case .fnPtr(let f):
                if json {
                    // Rhai writes a function pointer as its name, a curried one as [name, args...]
                    if f.curried.isEmpty { try Dynamic.writeQuoted(f.name, json: true, into: &w); continue }
                    if depth >= maxDepth { throw Dynamic.tooDeep(maxDepth) }
                    try w.write("[")
                    try Dynamic.writeQuoted(f.name, json: true, into: &w)
                    work.append(.text("]"))
                    for x in f.curried.reversed() {
                        work.append(.value(x, depth: depth + 1))
                        work.append(.text(","))
                    }
                    continue
                }
                if f.curried.isEmpty { try w.write("Fn(\(f.name))"); continue }
                try w.write("Fn(\(f.name), ")
                work.append(.text(")"))
                for (k, x) in f.curried.enumerated().reversed() {
                    work.append(.value(x, depth: depth + 1))
                    if k > 0 { work.append(.text(", ")) }
                }
            case .timestamp: try json ? Dynamic.writeQuoted("<timestamp>", json: true, into: &w) : w.write("<timestamp>")
            case .range(let a, let b, let inc):
                let s = "\(a)\(inc ? "..=" : "..")\(b)"
                try json ? Dynamic.writeQuoted(s, json: true, into: &w) : w.write(s)
            case .shared(let s): work.append(.value(s.value, depth: depth))
            case .tagged(let t): work.append(.value(t.value, depth: depth))
            }
        }
    }

    /// Values whose `to_string` form is their `debug` form without containers (bool, int, …).
    private var isScalarText: Bool {
        switch self {
        case .bool, .int, .timestamp, .range: true
        default: false
        }
    }

    private static func tooDeep(_ maxDepth: Int) -> RhaiError {
        RhaiError(.dataTooLarge, "Data is nested too deeply for JSON (more than \(maxDepth) levels)")
    }

    /// A quoted string, escaped for Rhai's debug form or for JSON, written in chunks so a long string
    /// is checked against the limit before it is copied.
    private static func writeQuoted(_ s: String, json: Bool, into w: inout TextWriter) throws(RhaiError) {
        if s.utf8.count + 2 > w.limit - w.count { throw w.overflow() }
        let plain = s.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        if plain {
            try w.write("\"")
            try w.write(s)
            try w.write("\"")
        } else {
            try w.write("\"" + escape(s, quote: "\"", json: json) + "\"")
        }
    }
}
