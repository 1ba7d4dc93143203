import Foundation
import Testing
import Threads

@Suite struct UsableCoresTests {
    /// The kernel's own account of the affinity, `Cpus_allowed_list` in /proc (ranges like `0-3,6`).
    @Test func countsTheCoresOfTheAffinityTheKernelReports() throws {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") })
        let list = line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)
        var allowed = 0
        for part in list.split(separator: ",") {
            let bounds = part.split(separator: "-").compactMap { Int($0) }
            allowed += bounds.count == 2 ? bounds[1] - bounds[0] + 1 : 1
        }
        #expect(UsableCores.count == allowed)
        #expect(UsableCores.count <= ProcessInfo.processInfo.processorCount)
    }
}
