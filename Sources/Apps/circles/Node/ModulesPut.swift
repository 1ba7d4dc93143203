import ArgumentParser
import CirclesNode
import Foundation

/// `circles modules put NAME FILE`: stores FILE as module NAME of the circle, replacing one of that name.
struct ModulesPut: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "put", abstract: "Store FILE as module NAME of the circle.")

    @OptionGroup var target: ModuleTargetOptions
    @Argument(help: "The module's name (letters, digits, _ and -, in segments separated by /).") var name: String
    @Argument(help: "The Rhai source file (at most 1 MiB).") var file: String

    func validate() throws {
        guard CircleModules.dataPath(of: name) != nil else { throw ValidationError("\"\(name)\": \(CircleModules.nameRule)") }
    }

    func run() async throws {
        guard let handle = FileHandle(forReadingAtPath: file),
              let data = try? handle.read(upToCount: CircleModules.maxSourceBytes + 1) ?? Data() else {
            CommandLogging.fail("cannot read \(file)", code: 2)
        }
        try? handle.close()
        guard data.count <= CircleModules.maxSourceBytes else {
            CommandLogging.fail("\(file) is over the module limit of \(CircleModules.maxSourceBytes) bytes", code: 2)
        }
        let source = String(decoding: data, as: UTF8.self)
        await target.run(signing: true) { installer throws(ModuleError) in try await installer.put(name, source: source, circle: target.circle) }
        FileHandle.standardOutput.write(Data("module \(name) put in circle \(target.circle)\n".utf8))
    }
}
