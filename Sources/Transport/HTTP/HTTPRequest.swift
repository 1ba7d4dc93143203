/// A parsed HTTP/1.1 request.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The path without the query, percent-encoding kept.
    public var path: String
    public var query: String?
    public var version: String
    /// Header fields in arrival order; names as sent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Values of `{name}` segments of the matched route.
    public var parameters: [String: String] = [:]
    /// The client's address, without the port.
    public var peerHost: String = ""

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Whether a comma-separated header (like `Connection`) lists `token`, case-insensitively.
    public func headerContains(_ name: String, token: String) -> Bool {
        headers.contains { field in
            field.name.lowercased() == name.lowercased()
                && field.value.split(separator: ",").contains { $0.trimmingCharacters(in: " \t").lowercased() == token.lowercased() }
        }
    }

    var keepAlive: Bool {
        if headerContains("Connection", token: "close") { return false }
        return version == "HTTP/1.1" || headerContains("Connection", token: "keep-alive")
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        var slice = self
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return slice
    }
}
