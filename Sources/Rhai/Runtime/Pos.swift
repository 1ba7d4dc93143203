/// A source position (1-based line and column).
struct Pos: Sendable {
    var line: Int32
    var col: Int32
    init(_ line: Int, _ col: Int) { self.line = Int32(truncatingIfNeeded: line); self.col = Int32(truncatingIfNeeded: col) }
    var column: Int { Int(col) }
    var lineNo: Int { Int(line) }
    static let none = Pos(0, 0)
}
