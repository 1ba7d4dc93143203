import CirclesCore

/// A circle's Rhai modules (`import "name" as m;`): the operator's modules of the circle's config
/// (`CirclePolicy.modules`), then the read-only `modules/` folder of its state, the data path
/// `modules/NAME.rhai` holding `{"source": S}` (SQLite or the Redis hash, so every worker on every
/// machine sees the same modules; in Redis with the operator's `"signature"`, `ModuleSignature`). Scripts cannot write there (`save_data`/`delete_data` refuse);
/// operators put modules with `circles modules put`. Importing needs the `modules` right.
package enum CircleModules {
    /// Bytes of a module name.
    package static let maxNameBytes = 128
    /// Bytes of a module's source: the size of a script the launcher reads.
    package static let maxSourceBytes = 1 << 20
    /// The folder of the circle's state that holds its modules.
    package static let folder = "modules"

    /// What a module name may be, for error messages.
    package static let nameRule = "a module name is 1 to \(maxNameBytes) letters, digits, '_' and '-', in segments separated by '/' (no '.', no leading or trailing '/')"

    /// The data path of module `name` (`modules/NAME.rhai`), or nil when `name` is not a module name:
    /// anything that could leave the folder (`..`, `/x`, `a//b`, `x.json`) is not.
    package static func dataPath(of name: String) -> String? {
        guard !name.isEmpty, name.utf8.count <= maxNameBytes else { return nil }
        var previous: UInt8 = UInt8(ascii: "/")
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "_"), UInt8(ascii: "-"):
                break
            case UInt8(ascii: "/") where previous != UInt8(ascii: "/"):
                break
            default:
                return nil
            }
            previous = byte
        }
        guard previous != UInt8(ascii: "/") else { return nil }
        return "\(folder)/\(name).rhai"
    }

    /// The module name of a data path of the `modules/` folder, nil for other paths.
    package static func name(ofDataPath path: String) -> String? {
        guard path.hasPrefix(folder + "/"), path.hasSuffix(".rhai") else { return nil }
        let name = String(path.dropFirst(folder.count + 1).dropLast(5))
        return dataPath(of: name) == path ? name : nil
    }

    /// Whether a data path (normalised components) lies in the `modules/` folder, which scripts cannot change.
    static func isReserved(_ components: [String]) -> Bool { components.first == folder }

    /// A module as the state stores it: `{"source": S}`, with `"signature"` when signed.
    package static func storedValue(_ source: String, signature: String? = nil) -> [UInt8] {
        var object: JSONObject = ["source": .string(source)]
        if let signature { object["signature"] = .string(signature) }
        var bytes: [UInt8] = []
        JSON.object(object).write(to: &bytes)
        return bytes
    }

    /// The source (and signature) of a stored module value, or why it is not one.
    static func source(ofStored bytes: [UInt8], name: String) -> Result<(source: String, signature: String?), ScriptFailure> {
        // JSON escapes each byte of a string in at most 6; a value longer than that cannot fit the limit.
        guard bytes.count <= maxSourceBytes * 6 + 256 else { return .failure(tooLarge(name, bytes.count)) }
        let object = (try? JSONParser.parse(bytes))?.objectValue
        guard let source = object?["source"]?.stringValue else {
            return .failure(ScriptFailure(kind: .runtime, message: "module '\(name)' (\(folder)/\(name).rhai) is not {\"source\": Rhai source}"))
        }
        guard source.utf8.count <= maxSourceBytes else { return .failure(tooLarge(name, source.utf8.count)) }
        return .success((source, object?["signature"]?.stringValue))
    }

    /// A name as error messages show it: at most `maxNameBytes` characters of it.
    static func shown(_ name: String) -> String {
        name.count <= maxNameBytes ? name : name.prefix(maxNameBytes) + "…"
    }

    static func tooLarge(_ name: String, _ bytes: Int) -> ScriptFailure {
        ScriptFailure(kind: .limit, message: "module '\(name)' is \(bytes) bytes, over the limit of \(maxSourceBytes) bytes")
    }

    /// The engine's resolver, run on the worker thread inside a task's run: checks the caller's
    /// `modules` right and the name (a refusal stops the run as `denied`), then looks in `operatorModules`
    /// and in the task's view of the circle's state. Nil (`ErrorModuleNotFound`) when there is no such
    /// module; a store failure or an oversized module stops the run with that failure.
    static func resolve(_ name: String, operatorModules: [String: String]) -> String? {
        do {
            try DataAccess.require(.modules, "import")
        } catch {
            return nil
        }
        guard let path = dataPath(of: name) else {
            DataAccess.stop(ScriptFailure(kind: .denied, message: "import \"\(shown(name))\" refused: \(nameRule), naming \(folder)/NAME.rhai of the circle"))
            return nil
        }
        if let source = operatorModules[name] { return source }
        guard let transaction = CurrentTransaction.current else { return nil }
        let stored: [UInt8]?
        do {
            stored = try transaction.load(path)
        } catch {
            DataAccess.stop(CircleEngine.failure(error))
            return nil
        }
        guard let stored else { return nil }
        switch source(ofStored: stored, name: name) {
        case .success(let module):
            if let signing = transaction.store?.moduleSigning,
               let refused = ModuleSignature.rejection(circle: transaction.circle, name: name, source: module.source, signature: module.signature,
                                                       secret: signing.secret, acceptUnsigned: signing.acceptUnsigned) {
                DataAccess.stop(refused)
                return nil
            }
            return module.source
        case .failure(let failure):
            DataAccess.stop(failure)
            return nil
        }
    }
}
