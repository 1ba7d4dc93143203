/// Whether a child does work or supervises other children.
public enum ChildKind: String, Sendable, Codable {
    case worker, supervisor
}
