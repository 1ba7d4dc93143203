/// Why a socket operation failed.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var errno: Int32
    public var detail: String?

    public init(_ operation: String, errno: Int32, detail: String? = nil) {
        self.operation = operation
        self.errno = errno
        self.detail = detail
    }

    public var description: String {
        "\(operation) failed: " + (detail ?? String(cString: strerror(errno)))
    }
}

#if canImport(Glibc)
import Glibc
#endif
