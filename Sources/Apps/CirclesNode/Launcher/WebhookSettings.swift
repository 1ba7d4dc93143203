/// A circle's settings for one webhook provider: the HMAC secret and the script run for each event.
public struct WebhookSettings: Sendable, Equatable {
    public var secret: String
    public var scriptPath: String

    public init(secret: String, scriptPath: String) {
        self.secret = secret
        self.scriptPath = scriptPath
    }
}
