/// Type masks for native signatures.
enum TypeMask {
    static let unit: UInt16 = 1, bool: UInt16 = 2, int: UInt16 = 4, float: UInt16 = 8, char: UInt16 = 16
    static let string: UInt16 = 32, array: UInt16 = 64, map: UInt16 = 128, blob: UInt16 = 256, fn: UInt16 = 512
    static let timestamp: UInt16 = 1024, range: UInt16 = 2048
    /// A tagged value: only parameters that take any value accept it; other calls are retried untagged.
    static let tagged: UInt16 = 0x8000
    static let num: UInt16 = int | float
    static let any: UInt16 = 0xFFFF
}

extension Dynamic {
    var tag: UInt16 {
        switch self {
        case .unit: TypeMask.unit
        case .bool: TypeMask.bool
        case .int: TypeMask.int
        case .float: TypeMask.float
        case .char: TypeMask.char
        case .string: TypeMask.string
        case .array: TypeMask.array
        case .map: TypeMask.map
        case .blob: TypeMask.blob
        case .fnPtr: TypeMask.fn
        case .timestamp: TypeMask.timestamp
        case .range: TypeMask.range
        case .shared(let s): s.value.tag
        case .tagged: TypeMask.tagged
        }
    }
}
