import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode

/// The launcher config's `modules`: parsed and checked before anything starts, read at start into
/// each circle's policy (the node's workers and `circles worker --config` alike).
@Suite struct LauncherModulesTests {
    func parse(_ text: String, directory: String = "/etc/circles") throws -> LauncherConfig {
        try LauncherConfig.parse(try JSONParser.parse(text), file: "circles.json", directory: directory, environment: [:])
    }

    @Test(arguments: [
        (#"{"../x": "x.rhai"}"#, #"field "modules.../x": a module name is"#),
        (#"{"x.rhai": "x.rhai"}"#, #"field "modules.x.rhai": a module name is"#),
        (#"{"x": 3}"#, #"field "modules.x": must be a non-empty path"#),
        (#"["x.rhai"]"#, #"field "modules": must be an object"#),
    ] as [(String, String)])
    func badModuleEntriesNameTheirField(modules: String, expected: String) {
        #expect { _ = try parse(#"[{"name": "a", "port": 1, "modules": \#(modules)}]"#) } throws: { error in
            "\(error)".contains(#"entry #1 ("a"): \#(expected)"#)
        }
    }

    @Test func modulesAreReadRelativeToTheConfigIntoThePolicy() throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-launch-modules")
        try FileManager.default.createDirectory(atPath: directory + "/lib", withIntermediateDirectories: true)
        try "fn f() { 1 }".write(toFile: directory + "/lib/util.rhai", atomically: true, encoding: .utf8)
        let key = PrivateKey().publicKey.hex
        let config = try parse(#"[{"name": "a", "port": 1, "public_key": "\#(key)", "modules": {"util": "lib/util.rhai", "lib/abs": "\#(directory)/lib/util.rhai"}}]"#,
                               directory: directory)
        #expect(config.circles[0].modules == ["util": directory + "/lib/util.rhai", "lib/abs": directory + "/lib/util.rhai"])
        #expect(try Launcher.policies(of: config)[key]?.modules == ["util": "fn f() { 1 }", "lib/abs": "fn f() { 1 }"])
    }

    @Test func aMissingOrOversizedModuleFileStartsNothing() throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-launch-modules")
        try String(repeating: "x", count: CircleModules.maxSourceBytes).write(toFile: directory + "/edge.rhai", atomically: true, encoding: .utf8)
        try String(repeating: "x", count: CircleModules.maxSourceBytes + 1).write(toFile: directory + "/big.rhai", atomically: true, encoding: .utf8)
        let key = PrivateKey().publicKey.hex
        func policies(_ file: String) throws -> [String: CirclePolicy] {
            try Launcher.policies(of: try parse(#"[{"name": "a", "port": 1, "public_key": "\#(key)", "modules": {"m": "\#(file)"}}]"#, directory: directory))
        }
        #expect(try policies("edge.rhai")[key]?.modules["m"]?.utf8.count == CircleModules.maxSourceBytes)
        #expect { _ = try policies("big.rhai") } throws: { "\($0)".contains(#"field "modules.m": cannot read"#) }
        #expect { _ = try policies("missing.rhai") } throws: { "\($0)".contains(#"field "modules.m": cannot read"#) }
    }
}
