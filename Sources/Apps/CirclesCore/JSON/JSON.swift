/// A JSON value. Objects keep their keys in insertion order (a duplicate key replaces the earlier value).
public enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object(JSONObject)
}
