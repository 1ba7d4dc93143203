import ArgumentParser
import CirclesNode
import Foundation

/// `circles modules list`: the circle's module names, one a line.
struct ModulesList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Print the names of the circle's modules, one a line.")

    @OptionGroup var target: ModuleTargetOptions

    func run() async throws {
        let names = await target.run { installer throws(ModuleError) in try await installer.list(circle: target.circle) }
        FileHandle.standardOutput.write(Data(names.map { $0 + "\n" }.joined().utf8))
    }
}
