/// Where a supervisor is in its life; the raw value is what `/health` shows.
public enum SupervisorState: String, Sendable, Codable {
    case idle, starting, running, stopping, stopped, failed
}
