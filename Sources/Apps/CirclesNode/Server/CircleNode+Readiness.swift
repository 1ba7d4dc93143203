extension CircleNode {
    /// True once the node's listener runs under its supervisor (the port was bound by `init`), until it stops.
    public var isAccepting: Bool {
        runtime.server.current != nil && root.snapshot().children.contains { $0.id == "listener" && $0.state == .running }
    }
}
