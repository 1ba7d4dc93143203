import ArgumentParser
import Foundation
import Supervision
import Transport

/// `circles bench echo-server`: a WebSocket echo server on our transport, for `../shared/bench/run-bench.sh`
/// to load beside the FlyingFox and Hummingbird echo servers in the same run.
struct EchoServerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo-server",
        abstract: "Echo WebSocket text and binary frames on /echo until SIGINT/SIGTERM.",
        discussion: "OURS_CMD='.build/release/circles bench echo-server --port {port}' bash ../shared/bench/run-bench.sh"
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Event-loop threads (default: one per core).") var loops = EventLoopGroup.coreCount
    @Option(help: "Open connections allowed (the open-file limit is raised to its hard limit).") var maxConnections = 100_000

    @OptionGroup var busyPoll: BusyPollOption

    func run() async throws {
        busyPoll.apply()
        var router = HTTPRouter()
        router.webSocket("/echo") { _, connection in
            .accept { event in
                switch event {
                case .text(let text): connection.send(text: text)
                case .binary(let bytes): connection.send(binary: bytes)
                case .closed: break
                }
            }
        }
        _ = IdleBench.raiseFileLimit()
        var configuration = HTTPServerConfiguration(host: host, port: port)
        configuration.maxConnections = maxConnections
        configuration.maxConnectionsPerIP = maxConnections
        let server = try HTTPServer(configuration: configuration, router: router, group: EventLoopGroup(loops: loops))
        FileHandle.standardError.write(Data("echo server on ws://\(host):\(server.port)/echo\n".utf8))
        let (signals, signalled) = AsyncStream.makeStream(of: Int32.self)
        let watcher = SignalWatcher { signalled.yield($0) }
        defer { watcher.cancel() }
        for await _ in signals { break }
        server.stopAccepting()
    }
}
