/// Variables and constants visible to a script's top level. Scripts may change variables in it, and
/// a run adds the script's own top-level variables to it (so a REPL keeps its state between lines).
/// Not thread-safe: use one scope for one run at a time.
public final class Scope: @unchecked Sendable {
    struct Entry {
        var name: String
        var value: Dynamic
        var isConstant: Bool
    }

    private(set) var entries: [Entry] = []
    /// Whether a run adds its top-level variables to the scope (true: a REPL's state). Hosts that
    /// drop the scope after one run set it to false, so what the script built can be freed.
    public var keepsVariables: Bool

    public init(keepsVariables: Bool = true) {
        self.keepsVariables = keepsVariables
    }

    public func push(_ name: String, _ value: Dynamic) {
        entries.append(Entry(name: name, value: value.flat, isConstant: false))
    }

    public func pushConstant(_ name: String, _ value: Dynamic) {
        entries.append(Entry(name: name, value: value.flat, isConstant: true))
    }

    public func get(_ name: String) -> Dynamic? {
        index(of: name).map { entries[$0].value }
    }

    public func contains(_ name: String) -> Bool { index(of: name) != nil }

    public func isConstant(_ name: String) -> Bool {
        index(of: name).map { entries[$0].isConstant } ?? false
    }

    /// Sets an existing variable or adds a new one.
    public func set(_ name: String, _ value: Dynamic) {
        if let k = index(of: name) { entries[k].value = value.flat } else { push(name, value) }
    }

    public var names: [String] { entries.map(\.name) }
    public var count: Int { entries.count }

    public func removeAll() { entries.removeAll() }

    func index(of name: String) -> Int? { entries.lastIndex { $0.name == name } }

    func take(_ k: Int) -> Dynamic {
        let v = entries[k].value
        entries[k].value = .unit
        return v
    }

    func put(_ k: Int, _ v: Dynamic) { entries[k].value = v }

    func declare(_ name: String, _ value: Dynamic, isConstant: Bool) {
        if let k = index(of: name) {
            entries[k].value = value.flat
            entries[k].isConstant = isConstant
        } else {
            entries.append(Entry(name: name, value: value.flat, isConstant: isConstant))
        }
    }
}
