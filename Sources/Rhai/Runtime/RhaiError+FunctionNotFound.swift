extension RhaiError {
    static func functionNotFound(_ name: String, _ args: [Dynamic], _ pos: Pos) -> RhaiError {
        RhaiError(.functionNotFound, "Function not found: \(name) (\(args.map { $0.flat.signatureType }.joined(separator: ", ")))", at: pos)
    }
}

extension Dynamic {
    /// Type name as shown in function signatures of error messages.
    var signatureType: String {
        switch self {
        case .string: "&str | ImmutableString | String"
        case .array: "Array"
        case .map: "Map"
        default: typeName
        }
    }
}
