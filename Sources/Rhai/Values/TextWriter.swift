/// A text buffer with a byte limit: a write that would pass it throws `ErrorDataTooLarge` instead of
/// growing the text, so rendering a huge value stops as soon as it is too big.
struct TextWriter {
    private(set) var text = ""
    private(set) var count = 0
    let limit: Int
    let what: String

    init(limit: Int, what: String = "Output") {
        self.limit = limit
        self.what = what
    }

    @inline(__always) mutating func write(_ s: String) throws(RhaiError) {
        let n = s.utf8.count
        guard n <= limit &- count else { throw overflow() }
        count &+= n
        text += s
    }

    @inline(__always) mutating func write(_ c: Unicode.Scalar) throws(RhaiError) {
        let n = UTF8.width(c)
        guard n <= limit &- count else { throw overflow() }
        count &+= n
        text.unicodeScalars.append(c)
    }

    func overflow() -> RhaiError {
        RhaiError(.dataTooLarge, "\(what) exceeds the limit of \(limit) bytes")
    }
}
