#if canImport(Glibc)
import Glibc
#endif

/// Starts a child process with `posix_spawn` (no Foundation, no fork of a multi-threaded process):
/// standard streams redirected as asked, every signal back to its default disposition and none
/// blocked (the parent's dedicated threads block them all), optionally in a process group of its own.
public enum ChildSpawn {
    /// Where a standard output stream of the child goes.
    public enum Output: Sendable {
        /// The parent's stream of the same number.
        case inherit
        /// Appended to this file (created if missing).
        case file(String)
        /// Wherever the child's other stream with this descriptor number goes.
        case sameAs(Int32)
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Starts `arguments[0]` with `arguments` as its argv and the parent's environment, with the
    /// variables of `environment` added or replaced (a way to hand a child secrets without argv, which
    /// every user can read in /proc); returns its pid.
    public static func start(_ arguments: [String], stdin: String = "/dev/null", stdout: Output = .inherit,
                             stderr: Output = .inherit, ownProcessGroup: Bool = false,
                             environment: [String: String] = [:]) throws(Failure) -> pid_t {
        guard let executable = arguments.first else { throw Failure(description: "no executable given") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        for (fd, output) in [(Int32(1), stdout), (2, stderr)] {
            switch output {
            case .inherit: break
            case .file(let path): posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            case .sameAs(let other): posix_spawn_file_actions_adddup2(&actions, other, fd)
            }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var variables: [UnsafeMutablePointer<CChar>?] = []
        if !environment.isEmpty {
            var entry: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = environ
            while let pointer = entry.pointee {
                let text = String(cString: pointer)
                let name = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
                if environment[name] == nil { variables.append(strdup(pointer)) }
                entry = entry.advanced(by: 1)
            }
            for (name, value) in environment.sorted(by: { $0.key < $1.key }) { variables.append(strdup("\(name)=\(value)")) }
            variables.append(nil)
        }
        defer { variables.forEach { free($0) } }
        var pid = pid_t()
        let code = environment.isEmpty ? posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
            : posix_spawn(&pid, executable, &actions, &attributes, argv, variables)
        guard code == 0 else { throw Failure(description: "cannot start \(executable): \(String(cString: strerror(code)))") }
        return pid
    }
}
