#if canImport(Glibc)
import Glibc
#endif

public enum TemporaryDirectory {
    public struct Failure: Error {}

    /// A new empty directory under /tmp.
    public static func make(prefix: String) throws -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let path = mkdtemp(&template) else { throw Failure() }
        return String(cString: path)
    }
}
