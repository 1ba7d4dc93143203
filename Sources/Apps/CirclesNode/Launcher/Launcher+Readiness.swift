extension Launcher {
    /// True when every node of the launcher accepts.
    public var isAccepting: Bool {
        !nodes.isEmpty && nodes.values.allSatisfy { $0.current?.isAccepting == true }
    }
}
