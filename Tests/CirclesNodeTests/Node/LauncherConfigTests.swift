#if canImport(Glibc)
import Glibc
#endif
import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode

@Suite struct LauncherConfigTests {
    func parse(_ text: String, environment: [String: String] = [:]) throws -> LauncherConfig {
        try LauncherConfig.parse(try JSONParser.parse(text), file: "circles.json", directory: "/etc/circles",
                                 environment: environment)
    }

    func problem(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return (error as? ConfigError)?.description
        }
    }

    @Test func readsTheSeedFormatAndTheOptionalFields() throws {
        let config = try parse("""
            [{"name": "OurWorld", "port": 8090, "script_path": "scripts/ourworld.rhai"},
             {"name": "Threefold", "port": 8091, "script_path": "/abs/threefold.rhai", "host": "0.0.0.0",
              "public_key": "02aa", "private_key_file": "keys/tf.key", "allowed_callers": ["02bb"],
              "limits": {"max_operations": 5000, "timeout_seconds": 2.5},
              "webhooks": {"stripe": {"secret": "whsec", "script_path": "hooks/stripe.rhai"}}}]
            """)
        #expect(config.circles.count == 2)
        #expect(config.circles[0] == CircleEntry(name: "OurWorld", port: 8090, scriptPath: "/etc/circles/scripts/ourworld.rhai"))
        let second = config.circles[1]
        #expect(second.host == "0.0.0.0")
        #expect(second.scriptPath == "/abs/threefold.rhai")
        #expect(second.privateKeyFile == "/etc/circles/keys/tf.key")
        #expect(second.allowedCallers == ["02bb"])
        #expect(second.limits.maxOperations == 5000)
        #expect(second.limits.timeout == 2.5)
        #expect(second.webhooks["stripe"] == WebhookSettings(secret: "whsec", scriptPath: "/etc/circles/hooks/stripe.rhai"))
    }

    @Test func aCircleMayRequireTheBoundAuthenticationForm() throws {
        #expect(try parse(#"[{"name": "a", "port": 1, "require_bound_auth": true}]"#).circles[0].requireBoundAuth)
        #expect(try !parse(#"[{"name": "a", "port": 1}]"#).circles[0].requireBoundAuth)
        #expect(throws: ConfigError.self) { try parse(#"[{"name": "a", "port": 1, "require_bound_auth": "yes"}]"#) }
    }

    @Test func webhookSecretsMayComeFromTheEnvironmentOrTheLegacyField() throws {
        let fromEnvironment = try parse(#"[{"name": "Our World", "port": 1, "webhooks": {"idenfy": {"script_path": "i.rhai"}}}]"#,
                                        environment: ["CIRCLES_OUR_WORLD_IDENFY_SECRET": "s3"])
        #expect(fromEnvironment.circles[0].webhooks["idenfy"]?.secret == "s3")
        let legacy = try parse(#"[{"name": "a", "port": 1, "webhook_secrets": {"stripe": "s1"}, "webhooks": {"stripe": {"script_path": "s.rhai"}}}]"#)
        #expect(legacy.circles[0].webhooks["stripe"]?.secret == "s1")
    }

    @Test(arguments: [
        (#"{}"#, "circles.json: must be a JSON array of circle entries"),
        (#"[]"#, "circles.json: has no circles"),
        (#"[3]"#, "circles.json: entry #1: must be an object"),
        (#"[{"port": 1}]"#, #"circles.json: entry #1: field "name": required, a non-empty string"#),
        (#"[{"name": "a"}]"#, #"circles.json: entry #1 ("a"): field "port": required, an integer from 1 to 65535"#),
        (#"[{"name": "a", "port": 70000}]"#, #"circles.json: entry #1 ("a"): field "port": required, an integer from 1 to 65535"#),
        (#"[{"name": "a", "port": 1}, {"name": "a", "port": 2}]"#, #"circles.json: entry #2 ("a"): field "name": duplicate name "a""#),
        (#"[{"name": "a", "port": 1, "colour": "red"}]"#, #"circles.json: entry #1 ("a"): field "colour": unknown field"#),
        (#"[{"name": "a", "port": 1, "script_path": 4}]"#, #"circles.json: entry #1 ("a"): field "script_path": must be a non-empty path"#),
        (#"[{"name": "a", "port": 1, "allowed_callers": [1]}]"#, #"circles.json: entry #1 ("a"): field "allowed_callers": must be an array"#),
        (#"[{"name": "a", "port": 1, "limits": {"max_operations": -1}}]"#, #"circles.json: entry #1 ("a"): field "limits.max_operations": must be a non-negative integer"#),
        (#"[{"name": "a", "port": 1, "limits": {"speed": 1}}]"#, #"circles.json: entry #1 ("a"): field "limits.speed": unknown limit"#),
        (#"[{"name": "a", "port": 1, "webhooks": {"paypal": {}}}]"#, #"circles.json: entry #1 ("a"): field "webhooks.paypal": unknown provider"#),
        (#"[{"name": "a", "port": 1, "webhooks": {"stripe": {"script_path": "x"}}}]"#, #"circles.json: entry #1 ("a"): field "webhooks.stripe.secret": required (or set CIRCLES_A_STRIPE_SECRET in the environment)"#),
    ] as [(String, String)])
    func namesTheEntryAndFieldOfEachProblem(text: String, expected: String) {
        let message = problem(text)
        #expect(message?.hasPrefix(expected) == true, "got \(message ?? "no error")")
    }

    @Test func reportsUnreadableFilesAndInvalidJSON() {
        #expect(throws: ConfigError.self) { try LauncherConfig.load(path: "/nonexistent/circles.json", environment: [:]) }
        #expect(throws: ConfigError.self) { try LauncherConfig.load(path: "/proc/self/status", environment: [:]) }
    }

    @Test func configsOthersMayChangeOrThatExposeSecretsAreWarnedAbout() throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-config-mode")
        let plain = directory + "/plain.json"
        try #"[{"name": "a", "port": 1}]"#.write(toFile: plain, atomically: false, encoding: .utf8)
        let secret = directory + "/secret.json"
        try #"[{"name": "a", "port": 1, "webhooks": {"idenfy": {"secret": "s", "script_path": "x.rhai"}}}]"#
            .write(toFile: secret, atomically: false, encoding: .utf8)
        func warning(_ path: String, _ mode: mode_t) throws -> String? {
            chmod(path, mode)
            return LauncherConfig.permissionWarning(path: path, config: try LauncherConfig.load(path: path, environment: [:]))
        }
        #expect(try warning(plain, 0o644) == nil)
        #expect(try warning(plain, 0o664)?.contains("others may change its policies") == true)
        #expect(try warning(secret, 0o644)?.contains("others may read them") == true)
        #expect(try warning(secret, 0o600) == nil)
    }
}
