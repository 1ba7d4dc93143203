/// A parse or evaluation error, named as Rhai names it, with its position (1-based; 0 when unknown).
public struct RhaiError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case parsing = "ErrorParsing"
        case variableNotFound = "ErrorVariableNotFound"
        case functionNotFound = "ErrorFunctionNotFound"
        case mismatchDataType = "ErrorMismatchDataType"
        case mismatchOutputType = "ErrorMismatchOutputType"
        case arithmetic = "ErrorArithmetic"
        case indexingType = "ErrorIndexingType"
        case arrayBounds = "ErrorArrayBounds"
        case stringBounds = "ErrorStringBounds"
        case bitFieldBounds = "ErrorBitFieldBounds"
        case propertyNotFound = "ErrorPropertyNotFound"
        case assignmentToConstant = "ErrorAssignmentToConstant"
        case dotExpr = "ErrorDotExpr"
        case forLoop = "ErrorFor"
        case runtime = "ErrorRuntime"
        case tooManyOperations = "ErrorTooManyOperations"
        case stackOverflow = "ErrorStackOverflow"
        case dataTooLarge = "ErrorDataTooLarge"
        case terminated = "ErrorTerminated"
        case forbidden = "ErrorForbidden"
        case inFunctionCall = "ErrorInFunctionCall"
        case unboundThis = "ErrorUnboundThis"
        case dataRace = "ErrorDataRace"
        case tooManyVariables = "ErrorTooManyVariables"
        case moduleNotFound = "ErrorModuleNotFound"
        case tooManyModules = "ErrorTooManyModules"

        /// The Rhai error name, e.g. `ErrorParsing`.
        public var name: String { rawValue }
    }

    public var kind: Kind
    public var message: String
    public var line: Int
    public var column: Int
    /// The value given to `throw` (for `ErrorRuntime`), otherwise the message as a string.
    public var value: Dynamic
    /// Not an error: a `break`, `continue` or `return` inside an operand, unwinding the expression
    /// around it to the enclosing block (`Compiler+Flow`). Never caught by `try`/`catch`.
    var unwindsFlow = false

    public init(_ kind: Kind, _ message: String, line: Int = 0, column: Int = 0, value: Dynamic? = nil) {
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
        self.value = value ?? .string(message)
    }

    func at(_ pos: Pos) -> RhaiError {
        if line != 0 { return self }
        var e = self
        e.line = pos.lineNo
        e.column = pos.column
        return e
    }

    public var description: String {
        line > 0 ? "\(kind.name): \(message) (line \(line), position \(column))" : "\(kind.name): \(message)"
    }
}

extension RhaiError {
    /// The unwinding of a pending `break`, `continue` or `return` out of an expression.
    static let flowUnwind: RhaiError = {
        var e = RhaiError(.runtime, "break, continue or return outside a block")
        e.unwindsFlow = true
        return e
    }()

    init(_ kind: Kind, _ message: String, at pos: Pos, value: Dynamic? = nil) {
        self.init(kind, message, line: pos.lineNo, column: pos.column, value: value)
    }
}
