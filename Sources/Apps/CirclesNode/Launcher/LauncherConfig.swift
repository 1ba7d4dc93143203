#if canImport(Glibc)
import Glibc
#endif
import CirclesCore

/// The launcher's `circles.json`: an array of circle entries. Parsing checks everything it can before
/// anything starts; each problem is one `ConfigError` naming the entry and the field.
public struct LauncherConfig: Sendable, Equatable {
    public var circles: [CircleEntry]
    /// The file's directory: relative paths in entries resolve against it, generated keys go there.
    public var directory: String

    public init(circles: [CircleEntry], directory: String) {
        self.circles = circles
        self.directory = directory
    }

    /// A warning when the config at `path` may be changed by its group or others (they could grant
    /// themselves a circle), or read by them while it holds webhook secrets; nil when it is private enough.
    package static func permissionWarning(path: String, config: LauncherConfig) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        let mode = Int(status.st_mode & 0o777)
        if mode & 0o022 != 0 { return "\(path) has mode \(String(mode, radix: 8)): others may change its policies (chmod go-w)" }
        let secrets = config.circles.contains { !$0.webhooks.isEmpty }
        if secrets, mode & 0o044 != 0 { return "\(path) holds webhook secrets and has mode \(String(mode, radix: 8)): others may read them (chmod 600)" }
        return nil
    }

    /// Reads and validates `path`. Secrets may come from `CIRCLES_<NAME>_<PROVIDER>_SECRET` in `environment`.
    public static func load(path: String, environment: [String: String]) throws(ConfigError) -> LauncherConfig {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path)
        } catch {
            throw ConfigError(file: path, "cannot read the file: \(error)")
        }
        let json: JSON
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw ConfigError(file: path, "invalid JSON: \(error)")
        }
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        return try parse(json, file: path, directory: directory, environment: environment)
    }

    package static func parse(_ json: JSON, file: String, directory: String, environment: [String: String])
        throws(ConfigError) -> LauncherConfig
    {
        guard let array = json.arrayValue else { throw ConfigError(file: file, "must be a JSON array of circle entries") }
        guard !array.isEmpty else { throw ConfigError(file: file, "has no circles") }
        var circles: [CircleEntry] = []
        var names: Set<String> = []
        for (index, element) in array.enumerated() {
            guard let object = element.objectValue else {
                throw ConfigError(file: file, entry: ConfigError.entry(at: index, name: nil), "must be an object")
            }
            let named = ConfigError.entry(at: index, name: object["name"]?.stringValue)
            func fail(_ field: String, _ problem: String) -> ConfigError {
                ConfigError(file: file, entry: named, field: field, problem)
            }
            let entry = try parseEntry(object, directory: directory, environment: environment, fail: fail)
            guard names.insert(entry.name).inserted else { throw fail("name", "duplicate name \"\(entry.name)\"") }
            circles.append(entry)
        }
        return LauncherConfig(circles: circles, directory: directory)
    }

    private static func parseEntry(_ object: JSONObject, directory: String, environment: [String: String],
                                   fail: (String, String) -> ConfigError) throws(ConfigError) -> CircleEntry {
        for key in object.keys where !CircleEntry.fields.contains(key) {
            throw fail(key, "unknown field (known: \(CircleEntry.fields.joined(separator: ", ")))")
        }
        guard let name = object["name"]?.stringValue, !name.isEmpty else { throw fail("name", "required, a non-empty string") }
        guard name.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }), name.count <= 64 else {
            throw fail("name", "must be printable and at most 64 characters")
        }
        guard let port = object["port"]?.intValue, (1...65535).contains(port) else {
            throw fail("port", "required, an integer from 1 to 65535")
        }
        var entry = CircleEntry(name: name, port: Int(port))
        if let host = object["host"] {
            guard let value = host.stringValue, !value.isEmpty else { throw fail("host", "must be a non-empty string") }
            entry.host = value
        }
        entry.scriptPath = try optionalPath(object["script_path"], "script_path", directory: directory, fail: fail)
        entry.privateKeyFile = try optionalPath(object["private_key_file"], "private_key_file", directory: directory, fail: fail)
        if let key = object["public_key"] {
            guard let value = key.stringValue, !value.isEmpty else { throw fail("public_key", "must be a hex string") }
            entry.publicKey = value
        }
        if let callers = object["allowed_callers"] {
            guard let list = callers.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
                throw fail("allowed_callers", "must be an array of public key strings")
            }
            entry.allowedCallers = list.compactMap(\.stringValue)
        }
        if let policy = object["policy"] { try parsePolicy(policy, into: &entry, fail: fail) }
        if let limits = object["limits"] { entry.limits = try ScriptLimits(json: limits, fail: fail) }
        if let bound = object["require_bound_auth"] {
            guard let value = bound.boolValue else { throw fail("require_bound_auth", "must be true or false") }
            entry.requireBoundAuth = value
        }
        if let hosts = object["public_hosts"] {
            guard let list = hosts.arrayValue, list.count <= 64, list.allSatisfy({ $0.stringValue.map(RequestAdmission.isHostValue) ?? false }) else {
                throw fail("public_hosts", "must be an array of at most 64 host names (node.example or node.example:8443)")
            }
            entry.publicHosts = list.compactMap(\.stringValue)
        }
        if let compat = object["rhailib_compat"] {
            guard let value = compat.boolValue else { throw fail("rhailib_compat", "must be true or false") }
            entry.rhailibCompat = value
        }
        if let limits = object["data_limits"] { entry.dataLimits = try DataLimits(json: limits, fail: fail) }
        entry.webhooks = try webhooks(object, name: name, directory: directory, environment: environment, fail: fail)
        if let modules = object["modules"] { entry.modules = try Self.modules(modules, directory: directory, fail: fail) }
        return entry
    }

    /// `modules: {NAME: PATH}`: each name a module name (`CircleModules.nameRule`), each path a file.
    private static func modules(_ json: JSON, directory: String, fail: (String, String) -> ConfigError) throws(ConfigError) -> [String: String] {
        guard let map = json.objectValue else { throw fail("modules", "must be an object of module name: file path") }
        var modules: [String: String] = [:]
        for (name, value) in map {
            guard CircleModules.dataPath(of: name) != nil else { throw fail("modules.\(name)", CircleModules.nameRule) }
            modules[name] = try optionalPath(value, "modules.\(name)", directory: directory, fail: fail)
        }
        return modules
    }

    static let policyFields = ["owners", "players", "grants"]

    /// `policy: {owners: [KEY], players: [KEY | "*"], grants: {KEY | "*": [OPERATION]}}`.
    private static func parsePolicy(_ json: JSON, into entry: inout CircleEntry, fail: (String, String) -> ConfigError) throws(ConfigError) {
        guard let object = json.objectValue else { throw fail("policy", "must be an object with owners, players, grants") }
        for key in object.keys where !policyFields.contains(key) {
            throw fail("policy.\(key)", "unknown field (known: \(policyFields.joined(separator: ", ")))")
        }
        func strings(_ field: String) throws(ConfigError) -> [String]? {
            guard let value = object[field] else { return nil }
            guard let list = value.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
                throw fail("policy.\(field)", "must be an array of strings")
            }
            return list.compactMap(\.stringValue)
        }
        if let owners = try strings("owners") { entry.owners = owners }
        if let players = try strings("players") {
            if entry.allowedCallers != nil { throw fail("policy.players", "give players or allowed_callers, not both") }
            entry.allowedCallers = players
        }
        if let grants = object["grants"] {
            guard let map = grants.objectValue else { throw fail("policy.grants", "must be an object of caller: [operations]") }
            for (caller, value) in map {
                guard let list = value.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
                    throw fail("policy.grants.\(caller)", "must be an array of operation names")
                }
                let names = list.compactMap(\.stringValue)
                for name in names where PolicyOperations(name: name) == nil {
                    throw fail("policy.grants.\(caller)",
                               "unknown operation \"\(name)\" (known: \(PolicyOperations.names.map(\.0).joined(separator: ", ")))")
                }
                entry.grants[caller] = names
            }
        }
    }

    private static func optionalPath(_ value: JSON?, _ field: String, directory: String,
                                     fail: (String, String) -> ConfigError) throws(ConfigError) -> String? {
        guard let value else { return nil }
        guard let path = value.stringValue, !path.isEmpty else { throw fail(field, "must be a non-empty path") }
        return path.hasPrefix("/") ? path : directory + "/" + path
    }

    /// `webhooks: {provider: {secret, script_path}}`, plus the older `webhook_secrets: {provider: secret}`.
    private static func webhooks(_ object: JSONObject, name: String, directory: String, environment: [String: String],
                                 fail: (String, String) -> ConfigError) throws(ConfigError) -> [String: WebhookSettings] {
        var result: [String: WebhookSettings] = [:]
        var secrets: [String: String] = [:]
        if let legacy = object["webhook_secrets"] {
            guard let map = legacy.objectValue else { throw fail("webhook_secrets", "must be an object of provider: secret") }
            for (provider, secret) in map {
                guard CircleEntry.providers.contains(provider) else { throw fail("webhook_secrets.\(provider)", "unknown provider") }
                guard let value = secret.stringValue, !value.isEmpty else {
                    throw fail("webhook_secrets.\(provider)", "must be a non-empty string")
                }
                secrets[provider] = value
            }
        }
        if let hooks = object["webhooks"] {
            guard let map = hooks.objectValue else { throw fail("webhooks", "must be an object of provider settings") }
            for (provider, settings) in map {
                let field = "webhooks.\(provider)"
                guard CircleEntry.providers.contains(provider) else {
                    throw fail(field, "unknown provider (known: \(CircleEntry.providers.joined(separator: ", ")))")
                }
                guard let settingsObject = settings.objectValue else { throw fail(field, "must be an object") }
                let envName = "CIRCLES_\(LauncherConfig.envSafe(name))_\(provider.uppercased())_SECRET"
                let secret = settingsObject["secret"]?.stringValue ?? secrets[provider] ?? environment[envName]
                guard let secret, !secret.isEmpty else {
                    throw fail("\(field).secret", "required (or set \(envName) in the environment)")
                }
                guard let script = try optionalPath(settingsObject["script_path"], "\(field).script_path",
                                                    directory: directory, fail: fail)
                else { throw fail("\(field).script_path", "required") }
                result[provider] = WebhookSettings(secret: secret, scriptPath: script)
            }
        }
        return result
    }

    /// A circle name as it appears in environment variable names: upper case, other characters as `_`.
    package static func envSafe(_ name: String) -> String {
        String(name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}
