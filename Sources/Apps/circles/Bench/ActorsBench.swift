import Actors
import ArgumentParser
import Supervision
#if canImport(Glibc)
import Glibc
import Threads
#endif

/// `circles bench actors`: the actor runtime against plain Swift baselines, measured in the same run.
struct ActorsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actors",
        abstract: "Tell throughput, ask latency, spawn cost and restart latency, beside Swift baselines.",
        discussion: "Example: circles bench actors --messages 2000000 --asks 20000"
    )

    @Option(help: "Messages for the throughput runs.") var messages = 1_000_000
    @Option(help: "Round trips for the latency runs.") var asks = 20_000
    @Option(help: "Actors for the spawn run.") var spawns = 20_000
    @Option(help: "Crash-and-restart cycles.") var restarts = 2_000

    func run() async throws {
        let system = ActorSystem(name: "bench")
        print("circles bench actors: \(messages) messages, \(asks) asks, \(spawns) spawns, \(restarts) restarts")

        // Throughput: one producer, one consumer, N increments, then one read-back.
        let counter = system.spawn(mailbox: MailboxOptions(capacity: 65_536, overflow: .suspend)) { BenchCounter() }
        let tell = try await Self.seconds {
            for _ in 0..<messages { await counter.send(.add(1)) }
            _ = try await counter.ask { .get($0) }
        }
        let tellSync = try await Self.seconds {
            for _ in 0..<messages where counter.tell(.add(1)) == .full { await counter.send(.add(1)) }
            _ = try await counter.ask { .get($0) }
        }
        let producers = 4
        let tellLoaded = try await Self.seconds {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<producers {
                    group.addTask {
                        for _ in 0..<messages / producers where counter.tell(.add(1)) == .full { await counter.send(.add(1)) }
                    }
                }
            }
            _ = try await counter.ask { .get($0) }
        }
        let plain = PlainCounter()
        let actorCall = await Self.seconds {
            for _ in 0..<messages { await plain.add(1) }
            _ = await plain.total
        }
        let stream = await Self.seconds {
            let (values, continuation) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .unbounded)
            let consumer = Task {
                var total = 0
                for await value in values { total += value }
                return total
            }
            for _ in 0..<messages { continuation.yield(1) }
            continuation.finish()
            _ = await consumer.value
        }
        print("\ntell throughput (ns per message, lower is better)")
        Self.row("ActorRef.send (async), batched mailbox", tell / Double(messages) * 1e9)
        Self.row("ActorRef.tell (sync), batched mailbox", tellSync / Double(messages) * 1e9)
        Self.row("ActorRef.tell, \(producers) producers (under load)", tellLoaded / Double(messages) * 1e9)
        Self.row("baseline: Swift actor method call", actorCall / Double(messages) * 1e9)
        Self.row("baseline: AsyncStream hand-off", stream / Double(messages) * 1e9)

        // Round trip latency.
        var askTimes: [Double] = []
        var callTimes: [Double] = []
        askTimes.reserveCapacity(asks)
        callTimes.reserveCapacity(asks)
        for _ in 0..<asks {
            let start = SystemTime.monotonic()
            _ = try await counter.ask { .get($0) }
            askTimes.append(SystemTime.monotonic() - start)
            let callStart = SystemTime.monotonic()
            _ = await plain.total
            callTimes.append(SystemTime.monotonic() - callStart)
        }
        print("\nround trip (µs): p50 / p99")
        Self.latency("ActorRef.ask", askTimes)
        Self.latency("baseline: Swift actor method call", callTimes)

        // Spawn cost, each actor started and answering once.
        let spawn = try await Self.seconds {
            var refs: [ActorRef<BenchCounter.Message>] = []
            refs.reserveCapacity(spawns)
            for _ in 0..<spawns { refs.append(system.spawn { BenchCounter() }) }
            for ref in refs { _ = try await ref.ask { .get($0) } }
            for ref in refs { ref.lifecycle.stop() }
        }
        let taskSpawn = await Self.seconds {
            var tasks: [Task<Int, Never>] = []
            tasks.reserveCapacity(spawns)
            for index in 0..<spawns { tasks.append(Task { index }) }
            for task in tasks { _ = await task.value }
        }
        print("\nspawn (µs per actor, started and answered once)")
        Self.row("system.spawn + first ask", spawn / Double(spawns) * 1e6)
        Self.row("baseline: Task creation + await", taskSpawn / Double(spawns) * 1e6)

        // Restart latency: crash, supervisor restarts, the next ask is answered.
        let worker = system.prepare { BenchCounter() }
        let supervisor = Supervisor("bench", intensity: RestartIntensity(maxRestarts: restarts * 2, period: 3600), backoff: .none,
                                    children: [.actor("worker", worker)])
        let supervising = Task { try await supervisor.run() }
        var restartTimes: [Double] = []
        for _ in 0..<restarts {
            let start = SystemTime.monotonic()
            worker.tell(.crash)
            _ = try await worker.ask { .get($0) }
            restartTimes.append(SystemTime.monotonic() - start)
        }
        supervisor.stop()
        try await supervising.value
        print("\nrestart (µs from crash to the next answer): p50 / p99")
        Self.latency("supervised actor restart", restartTimes)
    }

    static func seconds(_ body: () async throws -> Void) async rethrows -> Double {
        let start = SystemTime.monotonic()
        try await body()
        return SystemTime.monotonic() - start
    }

    static func row(_ label: String, _ value: Double) {
        print("  \(label.padding(toLength: 44, withPad: " ", startingAt: 0)) \(format(value))")
    }

    static func latency(_ label: String, _ samples: [Double]) {
        let sorted = samples.sorted()
        let p50 = sorted[sorted.count / 2] * 1e6, p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)] * 1e6
        print("  \(label.padding(toLength: 44, withPad: " ", startingAt: 0)) \(format(p50)) / \(format(p99))")
    }

    static func format(_ value: Double) -> String {
        let scaled = (value * 100).rounded() / 100
        return String(scaled)
    }
}

/// The actor under test: counts, answers, crashes on request.
final class BenchCounter: ActorBehavior {
    enum Message: Sendable {
        case add(Int)
        case get(Reply<Int>)
        case crash
    }

    struct Crash: Error {}
    var total = 0

    func receive(_ message: Message, context: ActorContext<Message>) async throws {
        switch message {
        case .add(let value): total += value
        case .get(let reply): reply.succeed(total)
        case .crash: throw Crash()
        }
    }
}

/// Baseline: a plain Swift actor.
actor PlainCounter {
    var total = 0
    func add(_ value: Int) { total += value }
}
