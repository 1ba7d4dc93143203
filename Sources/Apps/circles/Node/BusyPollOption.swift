#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Threads

/// `--busy-poll MICROS`, shared by the commands that run event loops or workers.
struct BusyPollOption: ParsableArguments {
    @Option(name: .customLong("busy-poll"), help: ArgumentHelp(
        "Microseconds a thread out of work polls for more before it sleeps: lower latency for some idle CPU (0: off; default 100 on two or more cores, or $CIRCLES_BUSY_POLL_US).",
        valueName: "micros"))
    var microseconds: Int?

    func validate() throws {
        if let microseconds, microseconds < 0 { throw ValidationError("--busy-poll must be 0 or more") }
    }

    /// Sets the process's window from `--busy-poll`, else from `CIRCLES_BUSY_POLL_US`.
    func apply() {
        if let microseconds {
            BusyPoll.microseconds = microseconds
        } else if let text = getenv("CIRCLES_BUSY_POLL_US"), let value = Int(String(cString: text)) {
            BusyPoll.microseconds = max(0, value)
        }
    }
}
