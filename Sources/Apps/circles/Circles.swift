import ArgumentParser

@main
struct Circles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "circles",
        abstract: "A peer-centric script runtime: circles run Rhai scripts that authenticated peers send them.",
        subcommands: [Launch.self, Serve.self, Worker.self, Play.self, Keygen.self, Run.self, Repl.self, Signer.self, Bench.self]
    )
}
