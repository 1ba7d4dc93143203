extension Dynamic {
    /// Parses JSON text: objects become maps, arrays arrays, integers INT (other numbers FLOAT),
    /// null unit. Containers nested deeper than `maxJSONDepth` are an error (the parser recurses on the
    /// caller's stack, and the writer refuses the same depth), as is any malformed input.
    public static func parseJSON(_ text: String) throws(RhaiError) -> Dynamic {
        var p = JSONReader(bytes: Array(text.utf8))
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == p.bytes.count else { throw p.fail("unexpected text after the JSON value") }
        return v
    }
}

private struct JSONReader {
    let bytes: [UInt8]
    var i = 0

    func fail(_ msg: String) -> RhaiError { RhaiError(.runtime, "Invalid JSON at byte \(i): \(msg)") }

    mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }

    mutating func expect(_ word: String) throws(RhaiError) {
        for b in word.utf8 {
            guard i < bytes.count, bytes[i] == b else { throw fail("expecting \(word)") }
            i += 1
        }
    }

    mutating func value(depth: Int) throws(RhaiError) -> Dynamic {
        guard i < bytes.count else { throw fail("unexpected end") }
        if bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "["), depth >= Dynamic.maxJSONDepth {
            throw fail("nested deeper than \(Dynamic.maxJSONDepth) levels")
        }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var m: [String: Dynamic] = [:]
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .map(m) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expecting a property name") }
                let key = try string()
                skipSpace()
                try expect(":")
                skipSpace()
                m[key] = try value(depth: depth + 1)
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .map(m) }
                throw fail("expecting ',' or '}'")
            }
        case UInt8(ascii: "["):
            i += 1
            var a: [Dynamic] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
            while true {
                skipSpace()
                a.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                throw fail("expecting ',' or ']'")
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .unit
        default: return try number()
        }
    }

    mutating func number() throws(RhaiError) -> Dynamic {
        let start = i
        var isFloat = false
        while i < bytes.count {
            let b = bytes[i]
            if (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") { i += 1 } else if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                isFloat = true
                i += 1
            } else { break }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if !isFloat, let v = Int64(text) { return .int(v) }
        guard !text.isEmpty, let d = Double(text) else { throw fail("invalid value") }
        // JSON has no infinity: a number too big for a double could only be written back as null.
        guard d.isFinite else { throw fail("number out of range") }
        return .float(d)
    }

    mutating func hex4() throws(RhaiError) -> UInt32 {
        guard i + 4 <= bytes.count, bytes[i..<i + 4].allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
              let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
            throw fail("invalid \\u escape")
        }
        i += 4
        return v
    }

    mutating func string() throws(RhaiError) -> String {
        i += 1
        var out = String.UnicodeScalarView()
        var run = i
        var chunk: [UInt8] = []
        while true {
            guard i < bytes.count else { throw fail("unterminated string") }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                chunk += bytes[run..<i]
                i += 1
                guard i < bytes.count else { throw fail("unterminated string") }
                let e = bytes[i]
                i += 1
                var scalar: Unicode.Scalar
                switch e {
                case UInt8(ascii: "n"): scalar = "\n"
                case UInt8(ascii: "t"): scalar = "\t"
                case UInt8(ascii: "r"): scalar = "\r"
                case UInt8(ascii: "b"): scalar = "\u{8}"
                case UInt8(ascii: "f"): scalar = "\u{C}"
                case UInt8(ascii: "u"):
                    var v = try hex4()
                    if v >= 0xD800 && v < 0xDC00 {
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw fail("unpaired surrogate in \\u escape")
                        }
                        i += 2
                        let low = try hex4()
                        guard low >= 0xDC00 && low < 0xE000 else { throw fail("unpaired surrogate in \\u escape") }
                        v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let decoded = Unicode.Scalar(v) else { throw fail("unpaired surrogate in \\u escape") }
                    scalar = decoded
                default: scalar = Unicode.Scalar(e)
                }
                chunk += Array(String(scalar).utf8)
                run = i
                continue
            }
            i += 1
        }
        chunk += bytes[run..<i]
        i += 1
        out.append(contentsOf: String(decoding: chunk, as: UTF8.self).unicodeScalars)
        return String(out)
    }
}
