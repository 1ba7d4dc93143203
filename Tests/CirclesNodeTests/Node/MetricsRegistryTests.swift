import Testing
@testable import CirclesNode

@Suite struct MetricsRegistryTests {
    @Test func rendersCountersGaugesAndHistogramsInPrometheusText() {
        let registry = MetricsRegistry()
        registry.counter("plays_total", help: "Plays by outcome.", labels: [("outcome", "ok")]).increment(by: 3)
        registry.counter("plays_total", help: "Plays by outcome.", labels: [("outcome", "ok")]).increment()
        registry.counter("plays_total", help: "Plays by outcome.", labels: [("outcome", "error \"x\"")]).increment()
        registry.gauge("connections", help: "Open connections.") { 7 }
        let latency = registry.histogram("play_seconds", help: "Play latency.", bounds: [0.001, 0.01])
        latency.observe(0.0005)
        latency.observe(0.005)
        latency.observe(2)
        #expect(registry.exposition() == """
            # HELP plays_total Plays by outcome.
            # TYPE plays_total counter
            plays_total{outcome="ok"} 4
            plays_total{outcome="error \\"x\\""} 1
            # HELP connections Open connections.
            # TYPE connections gauge
            connections 7
            # HELP play_seconds Play latency.
            # TYPE play_seconds histogram
            play_seconds_bucket{le="0.001"} 1
            play_seconds_bucket{le="0.01"} 2
            play_seconds_bucket{le="+Inf"} 3
            play_seconds_sum 2.0055
            play_seconds_count 3

            """)
    }

    @Test func countersAreSafeUnderConcurrentIncrements() async {
        let counter = MetricsRegistry().counter("c", help: "c")
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { for _ in 0..<10_000 { counter.increment() } } }
        }
        #expect(counter.current == 80_000)
    }
}
