import Rhai

extension Limits {
    /// Sets the limit of a `circles run` option (`--max-operations` …); false for another name.
    mutating func set(option: Substring, to value: Int) -> Bool {
        switch option {
        case "--max-operations": maxOperations = value
        case "--max-call-depth": maxCallDepth = value
        case "--max-expression-depth": maxExpressionDepth = value
        case "--max-string-size": maxStringSize = value
        case "--max-array-size": maxArraySize = value
        case "--max-map-size": maxMapSize = value
        case "--max-memory": maxMemory = value
        case "--max-variables": maxVariables = value
        case "--max-functions": maxFunctions = value
        case "--max-function-expression-depth": maxFunctionExpressionDepth = value
        case "--max-output": maxOutput = value
        default: return false
        }
        return true
    }
}
