import ArgumentParser
import CirclesNode

/// `--owner`, `--player`, `--grant`: the policy of circles given by key on the command line (SPEC
/// section 6). Default: any authenticated caller plays, only the circle's own key and the owners touch data.
struct PolicyOptions: ParsableArguments {
    @Option(name: .customLong("owner"), help: ArgumentHelp("A key that may do everything in the circles (besides each circle's own); repeatable.", valueName: "key"))
    var owners: [String] = []
    @Option(name: .customLong("player"), help: ArgumentHelp("A key that may play (default: * = any caller); repeatable.", valueName: "key|*"))
    var players: [String] = []
    @Option(name: .customLong("grant"), help: ArgumentHelp(
        "What a caller may use: CALLER=OP[,OP...], CALLER a key or *, OP one of data.read, data.write, data.delete, data, modules, webhooks, all; repeatable.",
        valueName: "caller=ops"))
    var grants: [String] = []

    func validate() throws { _ = try policy() }

    /// The policy these options describe, over `limits`.
    func policy(limits: ScriptLimits = ScriptLimits()) throws(ValidationError) -> CirclePolicy {
        var policy = CirclePolicy(limits: limits)
        for text in owners {
            guard let id = CirclePolicy.callerId(text), id != CirclePolicy.anyone else { throw ValidationError("--owner \(text): not a public key") }
            policy.owners.insert(id)
        }
        if !players.isEmpty {
            policy.players = []
            for text in players {
                guard let id = CirclePolicy.callerId(text) else { throw ValidationError("--player \(text): not a public key or *") }
                policy.players.insert(id)
            }
        }
        for text in grants {
            guard let equals = text.firstIndex(of: "="), let caller = CirclePolicy.callerId(String(text[..<equals])) else {
                throw ValidationError("--grant \(text): expected CALLER=OP[,OP...] with CALLER a public key or *")
            }
            for name in text[text.index(after: equals)...].split(separator: ",") {
                guard let operation = PolicyOperations(name: String(name)) else {
                    throw ValidationError("--grant \(text): unknown operation \(name) (known: \(PolicyOperations.names.map(\.0).joined(separator: ", ")))")
                }
                policy.grants[caller, default: []].formUnion(operation)
            }
        }
        return policy
    }
}
