import CirclesCore
import Testing
@testable import CirclesNode

/// `data_limits` in a launcher config entry: read into the circle's policy, bad values refused.
@Suite struct DataLimitsConfigTests {
    func parse(_ entry: String) throws -> LauncherConfig {
        try LauncherConfig.parse(try JSONParser.parse("[{\"name\": \"a\", \"port\": 8090, \(entry)}]"), file: "circles.json",
                                 directory: "/etc/circles", environment: [:])
    }

    @Test func readsTheLimitsIntoThePolicy() throws {
        let config = try parse(#""public_key": "02\#(String(repeating: "ab", count: 32))", "data_limits": {"max_value_bytes": 1024, "max_paths": 10, "max_total_bytes": 4096}"#)
        #expect(config.circles[0].dataLimits == DataLimits(maxValueBytes: 1024, maxPaths: 10, maxTotalBytes: 4096))
        let policies = try Launcher.policies(of: config)
        #expect(policies.values.first?.dataLimits == DataLimits(maxValueBytes: 1024, maxPaths: 10, maxTotalBytes: 4096))
        #expect(try parse(#""data_limits": {"max_paths": 3}"#).circles[0].dataLimits.maxValueBytes == 4 << 20, "unset limits keep their defaults")
    }

    @Test(arguments: [#""data_limits": {"max_paths": 0}"#, #""data_limits": {"max_value_bytes": "big"}"#,
                      #""data_limits": {"max_keys": 3}"#, #""data_limits": 5"#])
    func refusesBadLimits(_ entry: String) {
        do {
            _ = try parse(entry)
            Issue.record("accepted \(entry)")
        } catch {
            #expect((error as? ConfigError)?.description.contains("data_limits") == true, "\(error)")
        }
    }
}
