import ArgumentParser
import CirclesNode
import Foundation

/// `--module NAME=PATH`: an operator's module for every circle the command serves, read at start
/// (the launcher config gives each entry its own `modules`).
struct ModuleOptions: ParsableArguments {
    @Option(name: .customLong("module"), help: ArgumentHelp(
        "A module scripts may import as NAME (import \"NAME\" as m), read from PATH at start; repeatable. Importing needs the modules grant.",
        valueName: "name=path"))
    var modules: [String] = []

    func validate() throws {
        for text in modules {
            guard let equals = text.firstIndex(of: "="), CircleModules.dataPath(of: String(text[..<equals])) != nil,
                  text.index(after: equals) < text.endIndex else {
                throw ValidationError("--module \(text): expected NAME=PATH, \(CircleModules.nameRule)")
            }
        }
    }

    /// The modules by name, their files read (each at most `CircleModules.maxSourceBytes`).
    func load() throws(ValidationError) -> [String: String] {
        var loaded: [String: String] = [:]
        for text in modules {
            guard let equals = text.firstIndex(of: "=") else { throw ValidationError("--module \(text): expected NAME=PATH") }
            let (name, path) = (String(text[..<equals]), String(text[text.index(after: equals)...]))
            guard let handle = FileHandle(forReadingAtPath: path) else { throw ValidationError("--module \(name): cannot read \(path)") }
            defer { try? handle.close() }
            let data = (try? handle.read(upToCount: CircleModules.maxSourceBytes + 1)) ?? nil
            guard let data else { throw ValidationError("--module \(name): cannot read \(path)") }
            guard data.count <= CircleModules.maxSourceBytes else {
                throw ValidationError("--module \(name): \(path) is over the limit of \(CircleModules.maxSourceBytes) bytes")
            }
            loaded[name] = String(decoding: data, as: UTF8.self)
        }
        return loaded
    }
}
