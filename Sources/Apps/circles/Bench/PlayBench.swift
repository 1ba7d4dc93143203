import ArgumentParser
import CircleClient
import CirclesCore
import Foundation
import Transport

/// `circles bench play`: many connections, many plays in flight on each; plays/s and latency percentiles.
struct PlayBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Load generator: N connections × K plays in flight each; reports plays/s and latency p50/p90/p99/max.",
        discussion: """
            Without --url it starts a node in this process on 127.0.0.1 (ephemeral port, authentication on, \
            embedded queue); the node and the load then share this process's threads. Every connection \
            authenticates first (with --key when --url is given; without --key it plays unauthenticated). \
            The run ends after --requests plays per connection, or after --duration seconds when given.

            Examples:
              circles bench play
              circles bench play --connections 16 --in-flight 8 --duration 10
              circles bench play --circles 8 --script 'let v = 0; try { v = load_data("n"); } catch {} save_data("n", v + 1); v'
              circles bench play --url ws://127.0.0.1:8080/02ab… --key me.key --script 'let s = 0; for i in 0..100 { s += i } s'
            """
    )

    @Option(help: "The circle to load (ws://host:port/CIRCLE_PUBLIC_KEY); default: a node in this process.") var url: String?
    @Option(help: "Key file to authenticate with (--url only).") var key: String?
    @Option(help: ArgumentHelp("For wss:// (--url only): trust the certificate authorities in this PEM file.", valueName: "file"))
    var tlsCa: String?
    @Option(help: "Connections (sessions).") var connections = 8
    @Option(name: .customLong("in-flight"), help: "Plays in flight per connection.") var inFlight = 8
    @Option(help: "Plays per connection.") var requests = 500
    @Option(help: "Run for this many seconds instead of a number of plays.") var duration: Double?
    @Option(help: "The script every play runs.") var script = "40 + 2"
    @Option(help: "Seconds a play may take before it counts as failed.") var timeout = 30.0
    @Option(help: "Worker threads (tasks run at once) of the in-process node.") var workers = 2
    @Option(help: "The in-process node queues plays through this Redis (redis://…) instead of its embedded queue.") var redisUrl: String?
    @Option(help: "Circles of the in-process node; connections are spread over them (--circles 1: one hot circle).") var circles = 1

    @OptionGroup var busyPoll: BusyPollOption
    @OptionGroup var moduleOptions: ModuleOptions

    func validate() throws {
        guard connections > 0, inFlight > 0, requests > 0 else { throw ValidationError("--connections, --in-flight and --requests must be positive") }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
        if redisUrl != nil, url != nil { throw ValidationError("--redis-url is for the in-process node (no --url)") }
        if !moduleOptions.modules.isEmpty, url != nil { throw ValidationError("--module is for the in-process node (no --url)") }
        if key != nil || tlsCa != nil, url == nil { throw ValidationError("--key and --tls-ca need --url (the in-process node makes its own)") }
    }

    func run() async throws {
        busyPoll.apply()
        let target: BenchTarget
        if let url {
            target = BenchTarget(url: url, key: try key.map { try PrivateKey(contentsOfFile: $0) },
                                 tls: try tlsCa.map { try TLSClientContext(trust: .certificateAuthorityFile($0)) })
        } else {
            target = try BenchTarget(inProcessWith: workers, maxInFlight: inFlight, redisURL: redisUrl, circles: circles,
                                     modules: try moduleOptions.load())
        }
        let load = duration.map { "for \(LoadReport.format($0)) s" } ?? "\(requests) plays per connection"
        print("circles bench play: \(connections) connections × \(inFlight) in flight, \(load), script \(Self.quoted(script))")
        print("  target        \(target.description)")
        let clients = try await target.connect(connections, timeout: timeout)
        let generator = LoadGenerator(clients: clients, inFlight: inFlight, total: duration == nil ? connections * requests : nil,
                                      duration: duration, unit: "play")
        let script = self.script
        let report = await generator.run { client throws(CircleClientError) in _ = try await client.play(script) }
        for line in report.lines(unit: "play") { print(line) }
        for client in clients { await client.close() }
        await target.stop()
        if report.succeeded == 0 { throw ExitCode(1) }
    }

    static func quoted(_ script: String) -> String {
        let flat = script.replacingOccurrences(of: "\n", with: " ")
        return "\"" + (flat.count > 60 ? flat.prefix(57) + "..." : flat) + "\""
    }
}
