/// Why a socket operation failed.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var errno: Int32
    public var detail: String?
    /// The TLS failure, when TLS was the problem.
    public var tls: TLSError?

    public init(_ operation: String, errno: Int32, detail: String? = nil) {
        self.operation = operation
        self.errno = errno
        self.detail = detail
    }

    public init(_ operation: String, tls: TLSError) {
        self.init(operation, errno: 0, detail: tls.description)
        self.tls = tls
    }

    public var description: String {
        "\(operation) failed: " + (detail ?? String(cString: strerror(errno)))
    }
}

#if canImport(Glibc)
import Glibc
#endif
