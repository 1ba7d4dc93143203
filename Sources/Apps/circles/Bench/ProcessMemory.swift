import Foundation

/// A process's memory as /proc/PID/status tells it, in KiB; and which process listens on a TCP port.
struct ProcessMemory {
    /// VmRSS: resident memory, file-backed pages included.
    var rss: Int
    /// RssAnon: resident anonymous memory (heap, stacks).
    var anonymous: Int
    /// VmHWM: the peak of VmRSS.
    var peak: Int

    init(pid: Int32) throws {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        func field(_ name: String) -> Int {
            for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
                return Int(line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") ?? 0
            }
            return 0
        }
        rss = field("VmRSS")
        anonymous = field("RssAnon")
        peak = field("VmHWM")
    }

    /// The process holding the socket that listens on `port` (IPv4 or IPv6), found through the
    /// socket's inode in /proc/net/tcp{,6} and the processes' fd links.
    static func listener(port: Int) -> Int32? {
        var inodes: Set<String> = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                guard fields.count > 9, fields[3] == "0A", let colon = fields[1].lastIndex(of: ":"),
                      Int(fields[1][fields[1].index(after: colon)...], radix: 16) == port else { continue }
                inodes.insert(String(fields[9]))
            }
        }
        guard !inodes.isEmpty, let processes = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for name in processes {
            guard let pid = Int32(name), let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(name)/fd") else { continue }
            for fd in fds {
                guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(name)/fd/\(fd)"),
                      link.hasPrefix("socket:["), inodes.contains(String(link.dropFirst(8).dropLast())) else { continue }
                return pid
            }
        }
        return nil
    }
}
