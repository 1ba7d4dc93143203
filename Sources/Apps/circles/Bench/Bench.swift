import ArgumentParser

/// `circles bench …`: load generators and micro-benchmarks. Each subcommand lives in its own file here.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks and load generators (results go to BENCHMARKS.md).",
        subcommands: Bench.all
    )
}
