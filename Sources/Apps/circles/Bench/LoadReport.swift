/// What a load run measured: latencies (seconds) of the operations that succeeded, the failures by
/// message, and the wall time.
struct LoadReport: Sendable {
    var latencies: [Double] = []
    var failures: [String: Int] = [:]
    var seconds = 0.0

    var succeeded: Int { latencies.count }
    var failed: Int { failures.values.reduce(0, +) }
    var throughput: Double { seconds > 0 ? Double(succeeded) / seconds : 0 }

    mutating func merge(_ other: LoadReport) {
        latencies += other.latencies
        for (message, count) in other.failures { failures[message, default: 0] += count }
    }

    /// The `fraction` quantile (nearest rank) of the latencies, in seconds.
    func percentile(_ fraction: Double, sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    /// The summary lines: counts, throughput, p50/p90/p99/max in milliseconds, the main failures.
    func lines(unit: String) -> [String] {
        let sorted = latencies.sorted()
        func ms(_ value: Double) -> String { Self.format(value * 1000) }
        var out = [
            "  \(unit)s".padding(toLength: 16, withPad: " ", startingAt: 0) + "\(succeeded) ok, \(failed) failed in \(Self.format(seconds)) s",
            "  throughput".padding(toLength: 16, withPad: " ", startingAt: 0) + "\(Self.format(throughput)) \(unit)s/s",
            "  latency ms".padding(toLength: 16, withPad: " ", startingAt: 0)
                + "p50 \(ms(percentile(0.5, sorted: sorted)))  p90 \(ms(percentile(0.9, sorted: sorted)))  "
                + "p99 \(ms(percentile(0.99, sorted: sorted)))  max \(ms(sorted.last ?? 0))",
        ]
        for (message, count) in failures.sorted(by: { $0.value > $1.value }).prefix(5) {
            out.append("  failure ×\(count): \(message)")
        }
        return out
    }

    static func format(_ value: Double) -> String {
        if value >= 100 { return String(Int(value.rounded())) }
        if value >= 10 { return String((value * 10).rounded() / 10) }
        return String((value * 100).rounded() / 100)
    }
}
