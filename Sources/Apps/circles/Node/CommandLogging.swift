import Foundation
import Logging

/// Logs of the long-running commands go to stderr, so stdout stays for what scripts read.
enum CommandLogging {
    static func bootstrap() {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["CIRCLES_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
    }

    /// Prints one line to stderr and exits.
    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("circles: \(message)\n".utf8))
        exit(code)
    }
}
