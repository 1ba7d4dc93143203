import CirclesNode
import Foundation

/// Tells systemd (Type=notify) that a serving command is up: READY=1 once `isAccepting`, STOPPING=1
/// when it stops. Without NOTIFY_SOCKET nothing is sent.
enum SystemdReadiness {
    static func notify(when isAccepting: @escaping @Sendable () -> Bool) {
        guard SystemdNotify.socketPath != nil else { return }
        Task.detached {
            while !isAccepting() {
                try? await Task.sleep(for: .milliseconds(20))
            }
            SystemdNotify.send("READY=1\nSTATUS=accepting connections\nMAINPID=\(getpid())")
        }
    }

    static func stopping() {
        SystemdNotify.send("STOPPING=1")
    }
}
