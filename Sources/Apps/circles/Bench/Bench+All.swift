import ArgumentParser

extension Bench {
    /// Registered bench subcommands; add yours here.
    static let all: [any ParsableCommand.Type] = [ActorsBench.self, RhaiBench.self, EchoServerBench.self, IdleBench.self,
                                                  PlayBench.self, AuthBench.self, RedisBench.self,
                                                  StateFloorBench.self, SignBench.self]
}
