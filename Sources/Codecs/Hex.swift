/// Lowercase hex encoding and lenient decoding (either case, optional `0x`).
public enum Hex {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digit(byte >> 4))
            out.append(digit(byte & 0xF))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Nil for an odd length or a non-hex character.
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(UnsafeBufferPointer(rebasing: $0[...])) }
    }

    /// Nil for an odd length or a non-hex character.
    public static func decode(_ utf8: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var start = 0
        if utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] | 0x20 == UInt8(ascii: "x") { start = 2 }
        let count = utf8.count - start
        guard count % 2 == 0 else { return nil }
        var valid = true
        let out = [UInt8](unsafeUninitializedCapacity: count / 2) { buffer, initialized in
            var index = start
            while index < utf8.count {
                guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else {
                    valid = false
                    break
                }
                buffer[initialized] = high << 4 | low
                initialized += 1
                index += 2
            }
        }
        return valid ? out : nil
    }

    @inline(__always)
    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    @inline(__always)
    private static func value(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
