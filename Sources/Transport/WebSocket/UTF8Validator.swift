/// An incremental UTF-8 validator (RFC 3629) that fails on the first byte that cannot start or
/// continue a valid sequence, so a text message split over fragments is refused as early as possible.
struct UTF8Validator {
    /// Continuation bytes still expected for the current sequence.
    private var remaining = 0
    /// The allowed range of the next byte (narrowed after E0, ED, F0 and F4).
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// Whether all bytes so far can be the start of valid UTF-8.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return true }
        while index < count {
            if remaining == 0 {
                // Fast path over ASCII runs, eight bytes at a time.
                while index + 8 <= count, base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                }
                if index == count { break }
            }
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            index += 1
            if remaining == 0 {
                if byte < 0x80 { continue }
                switch byte {
                case 0xC2...0xDF: remaining = 1; lower = 0x80; upper = 0xBF
                case 0xE0: remaining = 2; lower = 0xA0; upper = 0xBF
                case 0xE1...0xEC, 0xEE...0xEF: remaining = 2; lower = 0x80; upper = 0xBF
                case 0xED: remaining = 2; lower = 0x80; upper = 0x9F
                case 0xF0: remaining = 3; lower = 0x90; upper = 0xBF
                case 0xF1...0xF3: remaining = 3; lower = 0x80; upper = 0xBF
                case 0xF4: remaining = 3; lower = 0x80; upper = 0x8F
                default: return false
                }
            } else {
                guard byte >= lower, byte <= upper else { return false }
                remaining -= 1
                lower = 0x80
                upper = 0xBF
            }
        }
        return true
    }

    /// Whether the input ended on a character boundary.
    var isComplete: Bool { remaining == 0 }

    mutating func reset() {
        remaining = 0
        lower = 0x80
        upper = 0xBF
    }
}
