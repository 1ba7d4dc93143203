import ArgumentParser
import CirclesNode
import Foundation

/// `circles modules delete NAME`: removes module NAME of the circle (exit 1 when there was none).
struct ModulesDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Remove module NAME of the circle.")

    @OptionGroup var target: ModuleTargetOptions
    @Argument(help: "The module's name.") var name: String

    func run() async throws {
        let existed = await target.run { installer throws(ModuleError) in try await installer.delete(name, circle: target.circle) }
        guard existed else { CommandLogging.fail("circle \(target.circle) has no module \(name)", code: 1) }
        FileHandle.standardOutput.write(Data("module \(name) deleted from circle \(target.circle)\n".utf8))
    }
}
