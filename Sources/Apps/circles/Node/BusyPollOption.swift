import Actors
import ArgumentParser

/// `--busy-poll MICROS`, shared by the commands that run event loops or workers.
struct BusyPollOption: ParsableArguments {
    @Option(name: .customLong("busy-poll"), help: ArgumentHelp(
        "Microseconds a thread out of work polls for more before it sleeps: lower latency for some idle CPU (0: off; default 100 on two or more cores, or $CIRCLES_BUSY_POLL_US).",
        valueName: "micros"))
    var microseconds: Int?

    func validate() throws {
        if let microseconds, microseconds < 0 { throw ValidationError("--busy-poll must be 0 or more") }
    }

    func apply() {
        if let microseconds { BusyPoll.microseconds = microseconds }
    }
}
