#if canImport(Glibc)
import Glibc
#endif

/// The standard `process_*` metrics of Prometheus client libraries, read from /proc at every scrape,
/// and `circles_build_info`.
package enum ProcessMetrics {
    package static func register(in registry: MetricsRegistry) {
        registry.counter("process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.", reading: {
            stat().map { Double($0.utime + $0.stime) / ticksPerSecond } ?? 0
        })
        registry.gauge("process_resident_memory_bytes", help: "Resident memory size in bytes.") {
            stat().map { Double($0.rss) * Double(sysconf(Int32(_SC_PAGESIZE))) } ?? 0
        }
        registry.gauge("process_virtual_memory_bytes", help: "Virtual memory size in bytes.") { stat().map { Double($0.vsize) } ?? 0 }
        registry.gauge("process_open_fds", help: "Number of open file descriptors.") { Double(openDescriptors()) }
        registry.gauge("process_max_fds", help: "Maximum number of open file descriptors.") {
            var limit = rlimit()
            guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
            return Double(limit.rlim_cur)
        }
        registry.gauge("process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.") { startTime }
        registry.gauge("circles_build_info", help: "Always 1; the labels say which build of circles runs.",
                       labels: [("version", CirclesVersion.current)]) { 1 }
    }

    /// Seconds since the process started (by the same clock as `process_start_time_seconds`).
    package static var uptime: Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return max(0, Double(now.tv_sec) + Double(now.tv_nsec) / 1e9 - startTime)
    }

    /// Unix seconds at which this process started: the boot time plus its start in clock ticks after boot.
    package static let startTime: Double = {
        guard let started = stat()?.starttime, let boot = bootTime() else { return 0 }
        return boot + Double(started) / ticksPerSecond
    }()

    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    private struct Stat {
        var utime: UInt64, stime: UInt64, starttime: UInt64, vsize: UInt64, rss: UInt64
    }

    /// /proc/self/stat after the command name (which may hold spaces): fields 14, 15, 22, 23 and 24.
    private static func stat() -> Stat? {
        guard let text = read("/proc/self/stat"), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state).
        func field(_ number: Int) -> UInt64 { number - 3 < fields.count ? UInt64(fields[number - 3]) ?? 0 : 0 }
        return Stat(utime: field(14), stime: field(15), starttime: field(22), vsize: field(23), rss: field(24))
    }

    private static func bootTime() -> Double? {
        guard let text = read("/proc/stat") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingPrefix(" "))
        }
        return nil
    }

    private static func openDescriptors() -> Int {
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            if entry.pointee.d_name.0 != 0x2E { count += 1 }  // not "." or ".."
        }
        return max(0, count - 1)  // the descriptor of the listing itself
    }

    /// A small /proc file, read whole.
    private static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 4096) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
