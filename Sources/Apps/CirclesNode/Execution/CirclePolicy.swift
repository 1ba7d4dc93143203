import CirclesCore

/// What a circle accepts (SPEC section 6, seed 003 §2.1): who may run scripts in it, what each caller
/// may use, and the limits its scripts run under. The circle's own key and `owners` may do everything;
/// a configured webhook provider runs the circle's own webhook script, so with its owner's rights.
/// Secure default: any caller may play, nobody but the owners touches data.
public struct CirclePolicy: Sendable, Equatable {
    /// The caller ids that match every caller (in `players` and `grants`).
    public static let anyone = "*"

    /// Keys (normalised hex) that may do everything, besides the circle's own key.
    public var owners: Set<String>
    /// Who may run scripts: caller ids, or `"*"` for any caller.
    public var players: Set<String>
    /// What each caller (or `"*"`, every caller) may use beyond running scripts.
    public var grants: [String: PolicyOperations]
    /// Webhook providers configured for the circle (`stripe`, `idenfy`): their events run the circle's
    /// own scripts, with its owner's rights.
    public var webhookProviders: Set<String>
    public var limits: ScriptLimits
    /// Bounds on the circle's stored data.
    public var dataLimits: DataLimits
    /// The operator's modules (name → Rhai source) from the launcher config or `--module`: scripts
    /// import them by name, before the modules of the circle's state (`CircleModules`).
    public var modules: [String: String] = [:]

    public init(owners: Set<String> = [], players: Set<String> = [anyone], grants: [String: PolicyOperations] = [:],
                webhookProviders: Set<String> = [], limits: ScriptLimits = ScriptLimits(),
                dataLimits: DataLimits = DataLimits()) {
        self.owners = owners
        self.players = players
        self.grants = grants
        self.webhookProviders = webhookProviders
        self.limits = limits
        self.dataLimits = dataLimits
    }

    /// The older form: when `allowedCallers` is set, only they (and the owners) may play.
    public init(allowedCallers: Set<String>?, limits: ScriptLimits = ScriptLimits()) {
        self.init(players: allowedCallers ?? [Self.anyone], limits: limits)
    }

    /// Who may play, as the older `allowed_callers` said it: nil when anyone may.
    public var allowedCallers: Set<String>? {
        get { players.contains(Self.anyone) ? nil : players }
        set { players = newValue ?? [Self.anyone] }
    }

    /// What `caller` may do in `circle`, or nil when it may not run scripts there at all.
    package func rights(of caller: String, in circle: String) -> PolicyOperations? {
        if caller == circle || owners.contains(caller) { return .all }
        if webhookProviders.contains(caller) { return .all }
        guard players.contains(Self.anyone) || players.contains(caller) else { return nil }
        return grants[Self.anyone, default: []].union(grants[caller, default: []])
    }

    /// Whether `caller` may run scripts in `circle`.
    package func admits(_ caller: String, in circle: String) -> Bool { rights(of: caller, in: circle) != nil }

    /// Whether `caller` may run scripts (owners other than the circle itself included).
    package func admits(_ caller: String) -> Bool { admits(caller, in: "") }

    /// A caller id as policies hold it: a secp256k1 key in its compressed form, an Ed25519 key in
    /// lowercase hex, `"*"` and provider names as given; nil for anything else.
    package static func callerId(_ text: String) -> String? {
        if text == anyone || CircleEntry.providers.contains(text) { return text }
        return try? CallerKey(hex: text).hex
    }
}
