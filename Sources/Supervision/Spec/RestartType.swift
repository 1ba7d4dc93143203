/// When a child that ended is started again (OTP's restart types).
public enum RestartType: String, Sendable, Codable {
    /// Always.
    case permanent
    /// Only when it failed.
    case transient
    /// Never.
    case temporary
}
