#if canImport(Glibc)
import Glibc
#endif

public enum Executables {
    public struct NotFound: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "\(name) is not on PATH (run scripts/setup.sh)" }
    }

    /// The full path of `name` on PATH (and the usual sbin folders, where Debian puts redis-server).
    public static func find(_ name: String) throws -> String {
        let path = (getenv("PATH").map { String(cString: $0) } ?? "") + ":/usr/sbin:/usr/bin:/sbin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw NotFound(name: name)
    }
}
