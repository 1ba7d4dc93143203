import Transport

/// The browser side of a node (SPEC 11.1): the client module and the playground page, kept in the
/// binary as string literals (no files to ship beside it), with their caching and security headers.
enum WebAssets {
    /// The version of the client module published at `/client/v1/circles.js`; the file at a versioned
    /// URL never changes (a test pins its digest), so a page may pin it with `integrity`.
    static let clientVersion = "v1"

    /// Path → file. `/client/circles.js` is always the newest module (revalidated); the versioned path
    /// is immutable.
    static let files: [String: WebAsset] = {
        let javaScript = "text/javascript; charset=utf-8"
        return [
            "/": WebAsset(contentType: "text/html; charset=utf-8", text: playgroundHTML),
            "/client/circles.js": WebAsset(contentType: javaScript, text: clientJS, sharing: .anyOrigin),
            "/client/\(clientVersion)/circles.js": WebAsset(contentType: javaScript, text: clientJS, caching: .immutable, sharing: .anyOrigin),
            "/playground/playground.js": WebAsset(contentType: javaScript, text: playgroundJS),
            "/playground/editor.js": WebAsset(contentType: javaScript, text: editorJS),
            "/playground/playground.css": WebAsset(contentType: "text/css; charset=utf-8", text: playgroundCSS),
            "/playground/icon.svg": WebAsset(contentType: "image/svg+xml", text: iconSVG),
        ]
    }()

    /// The page may run only the node's own scripts and styles, talk only to the node (HTTP and
    /// WebSocket), load nothing from other hosts, use no DOM sinks that parse HTML, and not be framed.
    static let contentSecurityPolicy = [
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
        "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
        "require-trusted-types-for 'script'", "trusted-types 'none'",
    ].joined(separator: "; ")

    static let securityHeaders: [(name: String, value: String)] = [
        ("Content-Security-Policy", contentSecurityPolicy),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]

    /// Adds a GET route per file.
    static func install(into router: inout HTTPRouter) {
        for (path, asset) in files.sorted(by: { $0.key < $1.key }) {
            router.add("GET", path) { asset.response(to: $0) }
        }
    }
}
