/// Binary operators, resolved from their symbols at compile time.
enum BinOp: UInt8, Sendable {
    case add, sub, mul, div, rem, pow, shl, shr, and, or, xor, eq, ne, lt, le, gt, ge, range, rangeInclusive

    init?(_ symbol: String) {
        switch symbol {
        case "+": self = .add
        case "-": self = .sub
        case "*": self = .mul
        case "/": self = .div
        case "%": self = .rem
        case "**": self = .pow
        case "<<": self = .shl
        case ">>": self = .shr
        case "&": self = .and
        case "|": self = .or
        case "^": self = .xor
        case "==": self = .eq
        case "!=": self = .ne
        case "<": self = .lt
        case "<=": self = .le
        case ">": self = .gt
        case ">=": self = .ge
        case "..": self = .range
        case "..=": self = .rangeInclusive
        default: return nil
        }
    }

    var symbol: String {
        switch self {
        case .add: "+"
        case .sub: "-"
        case .mul: "*"
        case .div: "/"
        case .rem: "%"
        case .pow: "**"
        case .shl: "<<"
        case .shr: ">>"
        case .and: "&"
        case .or: "|"
        case .xor: "^"
        case .eq: "=="
        case .ne: "!="
        case .lt: "<"
        case .le: "<="
        case .gt: ">"
        case .ge: ">="
        case .range: ".."
        case .rangeInclusive: "..="
        }
    }

    var isComparison: Bool {
        switch self {
        case .eq, .ne, .lt, .le, .gt, .ge: true
        default: false
        }
    }
}
