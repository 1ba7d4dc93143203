import ArgumentParser

extension Bench {
    /// Registered bench subcommands; add yours here.
    static let all: [any ParsableCommand.Type] = [RhaiBench.self]
}
