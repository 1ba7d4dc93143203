/// Why a data operation in a peer namespace was refused or failed.
package enum NamespaceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path is empty, absolute, has `..`/`.` components, NUL bytes, or is too long.
    case invalidPath(String)
    /// A component of the path is a symbolic link (never followed).
    case symlinkRefused(String)
    case notFound(String)
    case tooLarge(String, limit: Int)
    case io(String, errno: Int32)
    case invalidData(String)

    package var description: String {
        switch self {
        case .invalidPath(let path): "invalid path '\(path)': must be relative, inside the namespace, without '..'"
        case .symlinkRefused(let path): "path '\(path)' goes through a symbolic link"
        case .notFound(let path): "no data at '\(path)'"
        case .tooLarge(let path, let limit): "'\(path)' is larger than \(limit) bytes"
        case .io(let path, let code): "I/O error on '\(path)': errno \(code)"
        case .invalidData(let detail): "invalid data: \(detail)"
        }
    }
}
