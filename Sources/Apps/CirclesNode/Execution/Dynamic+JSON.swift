import CirclesCore
import Rhai

extension Dynamic {
    /// A JSON document as a Rhai value: objects become maps, arrays arrays, null unit.
    init(json: JSON) {
        switch json {
        case .null: self = .unit
        case .bool(let value): self = .bool(value)
        case .int(let value): self = .int(value)
        case .double(let value): self = .float(value)
        case .string(let value): self = .string(value)
        case .array(let values): self = .array(values.map(Dynamic.init(json:)))
        case .object(let object):
            var map: [String: Dynamic] = [:]
            for (key, value) in object { map[key] = Dynamic(json: value) }
            self = .map(map)
        }
    }

    /// The value as JSON: maps (with sorted keys) and arrays recursively, chars as strings, unit as
    /// null, other values (function pointers, ranges, timestamps, blobs) as their string form.
    var json: JSON {
        switch self {
        case .unit: .null
        case .bool(let value): .bool(value)
        case .int(let value): .int(value)
        case .float(let value): .double(value)
        case .char(let value): .string(String(value))
        case .string(let value): .string(value)
        case .array(let values): .array(values.map(\.json))
        case .map(let map):
            .object(map.keys.sorted().reduce(into: JSONObject()) { object, key in object[key] = map[key]!.json })
        case .blob(let bytes): .array(bytes.map { .int(Int64($0)) })
        default: .string(description)
        }
    }
}
