import ArgumentParser
import Foundation
import Logging

/// `--log-level` and `--log-format` of the long-running commands, with CIRCLES_LOG_LEVEL and
/// CIRCLES_LOG_FORMAT as fallbacks. Logs go to stderr, so stdout stays for what scripts read.
struct LoggingOptions: ParsableArguments {
    static let levels = Logger.Level.allCases.map(\.rawValue)

    @Option(help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (default: $CIRCLES_LOG_LEVEL, else info).",
                               valueName: "level"))
    var logLevel: String?
    @Option(help: ArgumentHelp("text or json: one JSON object per line (default: $CIRCLES_LOG_FORMAT, else text).", valueName: "format"))
    var logFormat: String?

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of \(Self.levels.joined(separator: ", "))")
        }
        if let logFormat, !["text", "json"].contains(logFormat) { throw ValidationError("--log-format must be text or json") }
    }

    /// The level and format in effect: the options, else the environment, else info and text.
    var resolved: (level: String, format: String) {
        let environment = ProcessInfo.processInfo.environment
        return (logLevel ?? environment["CIRCLES_LOG_LEVEL"] ?? "info", logFormat ?? environment["CIRCLES_LOG_FORMAT"] ?? "text")
    }

    /// The same settings for child processes (the launcher's workers), as environment variables.
    var environment: [String: String] {
        ["CIRCLES_LOG_LEVEL": resolved.level, "CIRCLES_LOG_FORMAT": resolved.format]
    }

    /// Sets up swift-log once for the process; a bad environment value ends the command with exit code 2.
    func bootstrap() {
        let (levelText, format) = resolved
        guard let level = Logger.Level(rawValue: levelText) else {
            CommandLogging.fail("CIRCLES_LOG_LEVEL=\(levelText): must be one of \(Self.levels.joined(separator: ", "))", code: 2)
        }
        guard format == "text" || format == "json" else { CommandLogging.fail("CIRCLES_LOG_FORMAT=\(format): must be text or json", code: 2) }
        LoggingSystem.bootstrap { label in
            if format == "json" {
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
