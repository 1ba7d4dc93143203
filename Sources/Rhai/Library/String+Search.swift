import Foundation

extension String {
    /// Byte offset of the first occurrence of `needle` at or after byte `start`, found in linear time
    /// (Knuth–Morris–Pratt for needles longer than a few bytes), so a hostile needle cannot make a
    /// search quadratic. UTF-8 is self-synchronising: a match starts and ends on a scalar boundary.
    func byteOffset(of needle: String, from start: Int = 0) -> Int? {
        var hay = self
        var needle = needle
        return hay.withUTF8 { h in
            needle.withUTF8 { n -> Int? in
                guard start <= h.count else { return nil }
                if n.isEmpty { return start }
                guard n.count <= h.count - start else { return nil }
                return String.search(UnsafeBufferPointer(rebasing: h[start...]), n).map { $0 + start }
            }
        }
    }

    private static func search(_ h: UnsafeBufferPointer<UInt8>, _ n: UnsafeBufferPointer<UInt8>) -> Int? {
        let m = n.count
        if m <= 8 {
            // Short needles: at most eight comparisons per position.
            let first = n[0]
            var k = 0
            while k + m <= h.count {
                if h[k] == first {
                    var j = 1
                    while j < m, h[k + j] == n[j] { j += 1 }
                    if j == m { return k }
                }
                k += 1
            }
            return nil
        }
        var fail = [Int](repeating: 0, count: m)
        var len = 0
        for q in 1..<m {
            while len > 0, n[q] != n[len] { len = fail[len - 1] }
            if n[q] == n[len] { len += 1 }
            fail[q] = len
        }
        var j = 0
        for (k, b) in h.enumerated() {
            while j > 0, b != n[j] { j = fail[j - 1] }
            if b == n[j] { j += 1 }
            if j == m { return k - m + 1 }
        }
        return nil
    }

    /// The text between byte offsets.
    func bytes(_ range: Range<Int>) -> String {
        var s = self
        return s.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// Byte offset of the scalar at `scalarOffset` (the end when past it).
    func byteOffset(ofScalar scalarOffset: Int) -> Int {
        var k = 0
        var bytes = 0
        for b in utf8 {
            if b & 0xC0 != 0x80 {
                if k == scalarOffset { return bytes }
                k += 1
            }
            bytes += 1
        }
        return bytes
    }

    /// Scalars in the first `byteOffset` bytes.
    func scalarCount(toByte byteOffset: Int) -> Int {
        var k = 0
        for b in utf8.prefix(byteOffset) where b & 0xC0 != 0x80 { k += 1 }
        return k
    }

    /// The pieces between occurrences of a non-empty `separator`.
    func pieces(separatedBy separator: String) -> [String] {
        guard !separator.isEmpty else { return [self] }
        var out: [String] = []
        var start = 0
        let width = separator.utf8.count
        while let k = byteOffset(of: separator, from: start) {
            out.append(bytes(start..<k))
            start = k + width
        }
        out.append(bytes(start..<utf8.count))
        return out
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        if target.isEmpty { return self }
        var out = ""
        var start = 0
        let width = target.utf8.count
        while let k = byteOffset(of: target, from: start) {
            out += bytes(start..<k)
            out += replacement
            start = k + width
        }
        if start == 0 { return self }
        out += bytes(start..<utf8.count)
        return out
    }

    /// Whether `needle` occurs (the empty string always does).
    func includes(_ needle: String) -> Bool { byteOffset(of: needle) != nil }
}
