import CirclesCore
import CirclesTestSupport
import Foundation
import Testing
import TestSupport
@testable import CirclesNode

/// `/metrics` against Prometheus's naming rules (prometheus.io/docs/practices/naming and the text
/// exposition format): valid metric and label names, counters ending in `_total` and nothing else
/// doing so, base units (seconds, bytes), the standard `process_*` metrics and the build info.
@Suite struct MetricsNamingTests {
    /// Prometheus's metric name rule `[a-zA-Z_:][a-zA-Z0-9_:]*`, without the colons reserved for recording rules.
    static func isMetricName(_ name: String) -> Bool { isLabelName(name) }
    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isLabelName(_ name: String) -> Bool {
        func letter(_ scalar: Unicode.Scalar) -> Bool { scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
        guard let first = name.unicodeScalars.first, letter(first) else { return false }
        return name.unicodeScalars.allSatisfy { letter($0) || ("0"..."9").contains($0) }
    }
    static let nonBaseUnits = ["milliseconds", "microseconds", "nanoseconds", "minutes", "hours", "days", "ms", "us", "ns",
                               "kilobytes", "megabytes", "gigabytes", "kb", "mb", "bits", "percent"]

    @Test func everyMetricFollowsTheNamingRules() async throws {
        let rig = try NodeRig()
        let peer = try await rig.connect()
        _ = try await peer.call("play", ["script": "1"])
        let text = try await rig.get("/metrics").body
        try await rig.stop()

        var types: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") {
            let parts = line.split(separator: " ")
            #expect(parts.count == 4, "\(line)")
            let (name, type) = (String(parts[2]), String(parts[3]))
            #expect(types[name] == nil, "\(name) declared twice")
            types[name] = type
            #expect(Self.isMetricName(name), "\(name)")
            #expect(["counter", "gauge", "histogram", "summary", "untyped"].contains(type), "\(name): \(type)")
            if type == "counter" { #expect(name.hasSuffix("_total"), "counter \(name) must end in _total") }
            else { #expect(!name.hasSuffix("_total"), "\(type) \(name) must not end in _total") }
            let words = name.split(separator: "_").map(String.init)
            for unit in Self.nonBaseUnits { #expect(!words.contains(unit), "\(name): \(unit) is not a base unit") }
            if type == "histogram", name.contains("latency") || name.contains("duration") || name.contains("time") {
                #expect(name.hasSuffix("_seconds"), "\(name)")
            }
        }
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let sample = line.split(separator: " ").first.map(String.init) ?? ""
            let name = String(sample.prefix { $0 != "{" })
            let family = types[name] != nil ? name
                : ["_bucket", "_sum", "_count"].compactMap { suffix in name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : nil }
                    .first { types[$0] == "histogram" } ?? name
            #expect(types[family] != nil, "sample \(name) has no # TYPE")
            if let open = sample.firstIndex(of: "{") {
                for pair in sample[sample.index(after: open)..<sample.index(before: sample.endIndex)].split(separator: ",") {
                    let label = String(pair.prefix { $0 != "=" })
                    #expect(Self.isLabelName(label) && !label.hasPrefix("__"), "\(label) in \(line)")
                }
            }
        }
        for (name, type) in [("process_cpu_seconds_total", "counter"), ("process_resident_memory_bytes", "gauge"),
                             ("process_open_fds", "gauge"), ("process_max_fds", "gauge"), ("process_start_time_seconds", "gauge"),
                             ("circles_build_info", "gauge"), ("circles_supervisor_restarts_total", "counter"),
                             ("circles_play_seconds", "histogram")] {
            #expect(types[name] == type, "\(name)")
        }
        #expect(text.contains("circles_build_info{version=\"\(CirclesVersion.current)\"} 1"))
        let firstBucket = text.split(separator: "\n").first { $0.hasPrefix("circles_play_seconds_bucket") }
        #expect(firstBucket?.contains("le=\"1e-05\"") == true, "\(firstBucket ?? "")")
        let value = { (name: String) in
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) } ?? -1
        }
        #expect(value("process_resident_memory_bytes") > 1_000_000)
        #expect(value("process_open_fds") > 2)
        #expect(value("process_max_fds") >= value("process_open_fds"))
        #expect(abs(value("process_start_time_seconds") - Date().timeIntervalSince1970) < 3600)
    }

    @Test func aRestartTotalNeverGoesDown() {
        let tally = MonotonicTally()
        #expect(tally.total(after: 2) == 2)
        #expect(tally.total(after: 3) == 3)
        #expect(tally.total(after: 1) == 4)  // a subtree replaced: its count started again from 0
        #expect(tally.total(after: 1) == 4)
    }
}
