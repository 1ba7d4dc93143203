import ArgumentParser
import CircleClient
import CirclesCore
import Foundation
import Transport

/// `circles bench auth`: authentication handshakes (fetch_nonce, sign, authenticate) per second.
struct AuthBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Load generator for authentication: N connections, each authenticating again and again.",
        discussion: """
            Each handshake is fetch_nonce + signing + authenticate on an open connection (one at a time per \
            connection: a nonce is bound to its connection and key). Without --url it starts a node in this \
            process on 127.0.0.1 with an ephemeral port.

            Examples:
              circles bench auth
              circles bench auth --url ws://127.0.0.1:8080/02ab… --key me.key --connections 32 --duration 10
            """
    )

    @Option(help: "The circle (ws://host:port/CIRCLE_PUBLIC_KEY); default: a node in this process.") var url: String?
    @Option(help: "Key file to authenticate with; default: a new key.") var key: String?
    @Option(help: ArgumentHelp("For wss:// (--url only): trust the certificate authorities in this PEM file.", valueName: "file"))
    var tlsCa: String?
    @Option(help: "Connections (sessions).") var connections = 8
    @Option(help: "Handshakes per connection.") var requests = 500
    @Option(help: "Run for this many seconds instead of a number of handshakes.") var duration: Double?
    @Option(help: "Seconds a handshake may take before it counts as failed.") var timeout = 30.0

    @OptionGroup var busyPoll: BusyPollOption

    func validate() throws {
        guard connections > 0, requests > 0 else { throw ValidationError("--connections and --requests must be positive") }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
        if tlsCa != nil, url == nil { throw ValidationError("--tls-ca needs --url") }
    }

    func run() async throws {
        busyPoll.apply()
        let target: BenchTarget
        if let url {
            target = BenchTarget(url: url, key: try key.map { try PrivateKey(contentsOfFile: $0) } ?? PrivateKey(),
                                 tls: try tlsCa.map { try TLSClientContext(trust: .certificateAuthorityFile($0)) })
        } else {
            target = try BenchTarget(inProcessWith: 2, maxInFlight: 1)
        }
        let load = duration.map { "for \(LoadReport.format($0)) s" } ?? "\(requests) handshakes per connection"
        print("circles bench auth: \(connections) connections, \(load)")
        print("  target        \(target.description)")
        let before = Self.cryptoRates()
        let clients = try await target.connect(connections, timeout: timeout)
        let generator = LoadGenerator(clients: clients, inFlight: 1, total: duration == nil ? connections * requests : nil,
                                      duration: duration, unit: "handshake")
        let cpuBefore = Self.cpuSeconds()
        let report = await generator.run { client throws(CircleClientError) in try await client.authenticate() }
        let cpu = Self.cpuSeconds() - cpuBefore
        // The machine's speed moves; the better of a measurement before and one after the load is
        // libsecp256k1's rate here (and the stricter baseline).
        let after = Self.cryptoRates()
        let (signs, verifies) = (max(before.signs, after.signs), max(before.verifies, after.verifies))
        print("  baseline      libsecp256k1 on one core, same run (better of before and after): \(Int(signs)) signs/s, \(Int(verifies)) verifies/s")
        for line in report.lines(unit: "handshake") { print(line) }
        if url == nil, cpu > 0 {
            // In process, every handshake costs one sign (client) and one verify (node) in this process.
            let perCore = Double(report.succeeded) / cpu
            let limit = 1 / (1 / signs + 1 / verifies)
            print("  per core      \(Int(perCore)) handshakes per CPU-second (client and node together), " +
                  "\(Int(perCore / limit * 100)) % of the sign+verify limit of \(Int(limit))/s")
        }
        for client in clients { await client.close() }
        await target.stop()
        if report.succeeded == 0 { throw ExitCode(1) }
    }

    /// Signs and verifies per second on this thread for about half a second each.
    static func cryptoRates() -> (signs: Double, verifies: Double) {
        let key = PrivateKey()
        let message = Array(RandomHex.make(words: 4).utf8)
        let signature = key.signCompact(message)
        func rate(_ work: () -> Void) -> Double {
            let clock = ContinuousClock()
            let start = clock.now
            var count = 0
            while clock.now - start < .milliseconds(500) {
                for _ in 0..<100 { work() }
                count += 100
            }
            let elapsed = clock.now - start
            return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        let signs = rate { _ = key.signCompact(message) }
        let verifies = rate { _ = try? Signatures.verify(signature: signature, message: message, publicKey: key.publicKey) }
        return (signs, verifies)
    }

    /// User and system CPU seconds of this process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
