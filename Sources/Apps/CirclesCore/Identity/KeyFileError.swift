/// Why a key file could not be read or written.
public enum KeyFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalid(path: String, reason: String)
    case unwritable(path: String, reason: String)
    /// Writing would replace an existing file, and overwriting was not asked for.
    case exists(path: String)
    /// The file's mode lets its group or others in.
    case exposed(path: String, mode: Int)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read the key file \(path): \(reason)"
        case .invalid(let path, let reason): "\(path) does not hold a private key: \(reason)"
        case .unwritable(let path, let reason): "cannot write the key file \(path): \(reason)"
        case .exists(let path): "\(path) exists already (not overwritten)"
        case .exposed(let path, let mode):
            "the key file \(path) has mode \(String(mode, radix: 8)): others may read it; make it private (chmod 600)"
        }
    }
}
