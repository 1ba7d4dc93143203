#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// The cores this process may run on: its CPU affinity (`taskset`, a container's cpuset), not every
/// online core. Sizes the event-loop group and decides whether busy polling pays.
public enum UsableCores {
    public static let count: Int = {
        let usable = Int(circles_usable_cpus())
        return usable > 0 ? usable : max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }()
}
