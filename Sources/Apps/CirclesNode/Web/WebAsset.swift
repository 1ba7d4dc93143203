import Codecs
import CirclesCore
import Transport

/// One static file the node serves: its bytes, content type, caching and validators, computed once.
struct WebAsset: Sendable {
    /// How long a browser may keep the file without asking again.
    enum Caching: Sendable {
        /// Kept, but revalidated (`If-None-Match`) before every use: the file may change with the node.
        case revalidate
        /// Never changes at this URL: kept for a year without asking.
        case immutable
    }

    /// Who may use the file from another origin.
    enum Sharing: Sendable {
        /// Only the node's own pages (the playground's files).
        case sameOrigin
        /// Any origin may load it (the client module, which web applications import from the node).
        case anyOrigin
    }

    let contentType: String
    let body: [UInt8]
    /// A strong validator: the first 128 bits of the body's SHA-256, quoted.
    let etag: String
    /// The body's SHA-256 in base64, as `Repr-Digest` (RFC 9530) and a subresource integrity value take it.
    let digest: String
    let caching: Caching
    let sharing: Sharing

    init(contentType: String, text: String, caching: Caching = .revalidate, sharing: Sharing = .sameOrigin) {
        self.contentType = contentType
        body = Array(text.utf8)
        let hash = SHA256.hash(body)
        etag = "\"\(Hex.encode(hash.prefix(16)))\""
        digest = Base64.encode(hash)
        self.caching = caching
        self.sharing = sharing
    }

    /// `sha256-…`, the value of an `integrity` attribute that pins this file.
    var integrity: String { "sha256-\(digest)" }

    var cacheControl: String {
        switch caching {
        case .revalidate: "no-cache"
        case .immutable: "public, max-age=31536000, immutable"
        }
    }

    /// 200 with the file, or 304 when the request's `If-None-Match` names this version.
    func response(to request: HTTPRequest) -> HTTPResponse {
        var headers: [(name: String, value: String)] = [("ETag", etag), ("Cache-Control", cacheControl)]
        headers += WebAssets.securityHeaders
        switch sharing {
        case .sameOrigin:
            headers.append(("Cross-Origin-Resource-Policy", "same-origin"))
        case .anyOrigin:
            headers.append(("Cross-Origin-Resource-Policy", "cross-origin"))
            headers.append(("Access-Control-Allow-Origin", "*"))
        }
        if let tags = request.header("If-None-Match"), Self.matches(tags, etag) {
            return HTTPResponse(status: 304, headers: headers)
        }
        headers.append(("Content-Type", contentType))
        headers.append(("Repr-Digest", "sha-256=:\(digest):"))
        return HTTPResponse(status: 200, headers: headers, body: body)
    }

    /// Whether an `If-None-Match` list names `etag` (weak comparison, as RFC 9110 asks for GET).
    static func matches(_ header: String, _ etag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            var tag = candidate.drop { $0 == " " || $0 == "\t" }
            while tag.last == " " || tag.last == "\t" { tag = tag.dropLast() }
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            return tag == etag
        }
    }
}
