/// What a supervisor restarts when a child ends and must be restarted (OTP's strategies).
public enum Strategy: Sendable, Equatable, CustomStringConvertible {
    /// Only that child.
    case oneForOne
    /// All children (the others are stopped first, in reverse order).
    case oneForAll
    /// That child and the ones started after it.
    case restForOne
    /// Children added at run time with `startChild` (say, one per connection), at most `maxChildren`;
    /// each restarts on its own.
    case dynamic(maxChildren: Int)

    public var description: String {
        switch self {
        case .oneForOne: "one_for_one"
        case .oneForAll: "one_for_all"
        case .restForOne: "rest_for_one"
        case .dynamic(let max): "dynamic(max \(max))"
        }
    }
}
