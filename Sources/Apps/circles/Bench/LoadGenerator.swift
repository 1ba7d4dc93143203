import CircleClient
import Foundation

/// Drives `operation` from `inFlight` concurrent loops on each client, until `total` operations were
/// started or `duration` seconds passed, and measures each one. A progress line goes to stderr once a
/// second when stderr is a terminal.
struct LoadGenerator: Sendable {
    var clients: [CircleClient]
    var inFlight: Int
    var total: Int?
    var duration: Double?
    var unit: String

    func run(_ operation: @escaping @Sendable (CircleClient) async throws(CircleClientError) -> Void) async -> LoadReport {
        let counters = LoadCounters()
        let start = ContinuousClock.now
        let deadline = duration.map { start + .seconds($0) }
        let progress = Task { await Self.showProgress(counters, start: start, unit: unit) }
        var report = await withTaskGroup(of: LoadReport.self) { group in
            for client in clients {
                for _ in 0..<inFlight {
                    // On the connection's own loop, as a client in the same process would run: the reply
                    // and the next call need no thread switch on the client's side.
                    group.addTask(executorPreference: client.loop) {
                        await Self.loop(client, counters: counters, total: total, deadline: deadline, operation)
                    }
                }
            }
            var merged = LoadReport()
            for await part in group { merged.merge(part) }
            return merged
        }
        report.seconds = Self.seconds(ContinuousClock.now - start)
        progress.cancel()
        _ = await progress.value
        return report
    }

    private static func loop(_ client: CircleClient, counters: LoadCounters, total: Int?, deadline: ContinuousClock.Instant?,
                             _ operation: @Sendable (CircleClient) async throws(CircleClientError) -> Void) async -> LoadReport {
        var report = LoadReport()
        while true {
            if let total, counters.issued.add(1, ordering: .relaxed).newValue > total { break }
            if let deadline, ContinuousClock.now >= deadline { break }
            let began = ContinuousClock.now
            do {
                try await operation(client)
                report.latencies.append(seconds(ContinuousClock.now - began))
                counters.completed.add(1, ordering: .relaxed)
            } catch {
                report.failures[error.description, default: 0] += 1
                counters.failed.add(1, ordering: .relaxed)
                if case .closed = error { break }
            }
        }
        return report
    }

    private static func showProgress(_ counters: LoadCounters, start: ContinuousClock.Instant, unit: String) async {
        guard isatty(2) != 0 else { return }
        var last = 0
        while (try? await Task.sleep(for: .seconds(1))) != nil {
            let done = counters.completed.load(ordering: .relaxed)
            let failed = counters.failed.load(ordering: .relaxed)
            let line = "\r  \(Int(seconds(ContinuousClock.now - start))) s: \(done) \(unit)s, \(failed) failed, \(done - last)/s   "
            FileHandle.standardError.write(Data(line.utf8))
            last = done
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
