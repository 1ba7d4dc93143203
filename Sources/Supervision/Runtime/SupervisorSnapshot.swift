/// The live tree below a supervisor, as served on `/health`.
public struct SupervisorSnapshot: Sendable, Codable, Equatable {
    public var id: String
    public var strategy: String
    public var state: SupervisorState
    public var restarts: Int
    public var children: [ChildSnapshot]
}

/// One child in a snapshot.
public struct ChildSnapshot: Sendable, Codable, Equatable {
    public var id: String
    public var kind: ChildKind
    public var restart: RestartType
    public var state: ChildState
    public var restarts: Int
    public var mailboxDepth: Int?
    public var subtree: SupervisorSnapshot?
}
