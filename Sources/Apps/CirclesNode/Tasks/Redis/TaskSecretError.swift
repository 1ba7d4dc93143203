/// Why a task secret could not be had.
public enum TaskSecretError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooShort(Int)
    case unreadable(String, String)
    /// The file may be read by its group or by others.
    case exposed(String, mode: Int)
    case unwritable(String, String)

    public var description: String {
        switch self {
        case .tooShort(let count): "the task secret has \(count) bytes; it needs at least \(TaskSecret.minimumBytes)"
        case .unreadable(let path, let reason): "cannot read the task secret file \(path): \(reason)"
        case .exposed(let path, let mode):
            "the task secret file \(path) has mode \(String(mode, radix: 8)); make it readable by its owner only (chmod 600)"
        case .unwritable(let path, let reason): "cannot write the task secret file \(path): \(reason)"
        }
    }
}
