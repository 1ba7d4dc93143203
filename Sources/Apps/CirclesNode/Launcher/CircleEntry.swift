import CirclesCore

/// One circle of a launcher configuration (seed 003 §7.3 plus the optional fields of SPEC section 8).
public struct CircleEntry: Sendable, Equatable {
    public var name: String
    public var port: Int
    public var host: String
    /// Run once in the circle's context at start.
    public var scriptPath: String?
    public var publicKey: String?
    public var privateKeyFile: String?
    /// When set, only these callers (or `"*"`: any) may run scripts in the circle (`policy.players`,
    /// or the older `allowed_callers`).
    public var allowedCallers: [String]?
    /// Keys that may do everything in the circle, besides its own (`policy.owners`).
    public var owners: [String] = []
    /// What callers (keys or `"*"`) may use: operation names by caller (`policy.grants`).
    public var grants: [String: [String]] = [:]
    /// By provider name: `stripe`, `idenfy`.
    public var webhooks: [String: WebhookSettings]
    public var limits: ScriptLimits
    /// Callers must sign the bound form of SPEC 3.1 (`"require_bound_auth": true`).
    public var requireBoundAuth = false
    /// Names the circle's node answers to (`public_hosts`; a node serves the names of all its entries).
    public var publicHosts: [String] = []
    /// With Redis, the node of this entry's port writes tasks for original rhailib workers (`rhailib_compat`).
    public var rhailibCompat = false
    /// Bounds on the circle's stored data (`data_limits`).
    public var dataLimits = DataLimits()
    /// The operator's modules: name → file (resolved against the config's directory), read at start
    /// (`modules`, see `CircleModules`).
    public var modules: [String: String] = [:]

    public init(name: String, port: Int, host: String = "127.0.0.1", scriptPath: String? = nil,
                publicKey: String? = nil, privateKeyFile: String? = nil, allowedCallers: [String]? = nil,
                webhooks: [String: WebhookSettings] = [:], limits: ScriptLimits = ScriptLimits()) {
        self.name = name
        self.port = port
        self.host = host
        self.scriptPath = scriptPath
        self.publicKey = publicKey
        self.privateKeyFile = privateKeyFile
        self.allowedCallers = allowedCallers
        self.webhooks = webhooks
        self.limits = limits
    }

    package static let providers = ["stripe", "idenfy"]
    static let fields = ["name", "port", "host", "script_path", "public_key", "private_key_file", "allowed_callers",
                         "policy", "webhooks", "webhook_secrets", "limits", "data_limits", "require_bound_auth", "modules",
                         "public_hosts", "rhailib_compat"]
}
