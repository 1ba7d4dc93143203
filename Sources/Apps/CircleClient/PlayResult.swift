/// What a `play` returned: the script's final value as a string, and the lines it printed.
public struct PlayResult: Sendable, Equatable {
    public var output: String
    public var logs: [String]

    public init(output: String, logs: [String] = []) {
        self.output = output
        self.logs = logs
    }
}
