/// Where a supervised child is in its life; the raw value is what `/health` shows.
public enum ChildState: String, Sendable, Codable {
    case starting, running, restarting, stopping, stopped
}
