import Synchronization

/// Named metrics rendered in the Prometheus text exposition format (version 0.0.4).
package final class MetricsRegistry: Sendable {
    private enum Metric: Sendable {
        case counter(Counter)
        case histogram(Histogram)
        case gauge(@Sendable () -> Double)
    }

    private struct Family: Sendable {
        var help: String
        var type: String
        var series: [(labels: String, metric: Metric)]
    }

    private let families = Mutex<[(name: String, family: Family)]>([])

    package init() {}

    /// The counter `name{labels}`, created on first use.
    package func counter(_ name: String, help: String, labels: [(String, String)] = []) -> Counter {
        let created = Counter()
        if case .counter(let existing) = register(name, help: help, type: "counter", labels: labels, .counter(created)) {
            return existing
        }
        return created
    }

    package func histogram(_ name: String, help: String, labels: [(String, String)] = [],
                          bounds: [Double] = Histogram.latencyBuckets) -> Histogram {
        let created = Histogram(bounds: bounds)
        if case .histogram(let existing) = register(name, help: help, type: "histogram", labels: labels, .histogram(created)) {
            return existing
        }
        return created
    }

    /// A gauge read from `value` at every scrape.
    package func gauge(_ name: String, help: String, labels: [(String, String)] = [], _ value: @escaping @Sendable () -> Double) {
        _ = register(name, help: help, type: "gauge", labels: labels, .gauge(value), replace: true)
    }

    /// A counter read from `value` at every scrape (a total kept elsewhere, which never goes down).
    package func counter(_ name: String, help: String, labels: [(String, String)] = [], reading value: @escaping @Sendable () -> Double) {
        _ = register(name, help: help, type: "counter", labels: labels, .gauge(value), replace: true)
    }

    private func register(_ name: String, help: String, type: String, labels: [(String, String)], _ metric: Metric,
                          replace: Bool = false) -> Metric {
        let rendered = Self.render(labels)
        return families.withLock { families in
            guard let index = families.firstIndex(where: { $0.name == name }) else {
                families.append((name, Family(help: help, type: type, series: [(rendered, metric)])))
                return metric
            }
            if let existing = families[index].family.series.firstIndex(where: { $0.labels == rendered }) {
                if !replace { return families[index].family.series[existing].metric }
                families[index].family.series[existing].metric = metric
                return metric
            }
            families[index].family.series.append((rendered, metric))
            return metric
        }
    }

    /// The exposition text of every metric.
    package func exposition() -> String {
        let snapshot = families.withLock { $0 }
        var out = ""
        for (name, family) in snapshot {
            out += "# HELP \(name) \(family.help)\n# TYPE \(name) \(family.type)\n"
            for (labels, metric) in family.series {
                switch metric {
                case .counter(let counter):
                    out += "\(name)\(Self.braced(labels)) \(counter.current)\n"
                case .gauge(let read):
                    out += "\(name)\(Self.braced(labels)) \(Self.format(read()))\n"
                case .histogram(let histogram):
                    let (cumulative, sum, count) = histogram.snapshot()
                    for (bound, value) in zip(histogram.bounds, cumulative) {
                        out += "\(name)_bucket\(Self.braced(labels, extra: "le=\"\(Self.format(bound))\"")) \(value)\n"
                    }
                    out += "\(name)_bucket\(Self.braced(labels, extra: "le=\"+Inf\"")) \(count)\n"
                    out += "\(name)_sum\(Self.braced(labels)) \(Self.format(sum))\n"
                    out += "\(name)_count\(Self.braced(labels)) \(count)\n"
                }
            }
        }
        return out
    }

    private static func render(_ labels: [(String, String)]) -> String {
        labels.map { key, value in
            var escaped = ""
            for character in value {
                switch character {
                case "\\": escaped += "\\\\"
                case "\"": escaped += "\\\""
                case "\n": escaped += "\\n"
                default: escaped.append(character)
                }
            }
            return "\(key)=\"\(escaped)\""
        }.joined(separator: ",")
    }

    private static func braced(_ labels: String, extra: String = "") -> String {
        let all = [labels, extra].filter { !$0.isEmpty }.joined(separator: ",")
        return all.isEmpty ? "" : "{\(all)}"
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
