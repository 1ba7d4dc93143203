import CirclesTestSupport
import Codecs
import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// The browser side of a node over real sockets: the playground and the client module, their content
/// types, security and caching headers, revalidation, and what is not there.
@Suite struct WebAssetsTests {
    @Test func thePlaygroundIsServedWithAStrictContentSecurityPolicy() async throws {
        let rig = try NodeRig()
        let page = try await WebResponse.get(rig, "/")
        #expect(page.status == 200)
        #expect(page["Content-Type"] == "text/html; charset=utf-8")
        #expect(page["X-Content-Type-Options"] == "nosniff")
        let policy = try #require(page["Content-Security-Policy"])
        for directive in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'",
                          "base-uri 'none'", "require-trusted-types-for 'script'"] {
            #expect(policy.contains(directive), "\(directive)")
        }
        #expect(!policy.contains("unsafe"))
        #expect(!policy.contains("http"))
        #expect(page["Cache-Control"] == "no-cache")
        #expect(page.text.contains(#"<script type="module" src="/playground/playground.js"></script>"#))
        try await rig.stop()
    }

    @Test func everyFileHasItsContentTypeAndSecurityHeaders() async throws {
        let rig = try NodeRig()
        let expected = [
            "/": "text/html; charset=utf-8",
            "/client/circles.js": "text/javascript; charset=utf-8",
            "/client/v1/circles.js": "text/javascript; charset=utf-8",
            "/playground/playground.js": "text/javascript; charset=utf-8",
            "/playground/editor.js": "text/javascript; charset=utf-8",
            "/playground/playground.css": "text/css; charset=utf-8",
            "/playground/icon.svg": "image/svg+xml",
        ]
        #expect(Set(WebAssets.files.keys) == Set(expected.keys))
        for (path, type) in expected {
            let response = try await WebResponse.get(rig, path)
            #expect(response.status == 200, "\(path)")
            #expect(response["Content-Type"] == type, "\(path)")
            #expect(response["X-Content-Type-Options"] == "nosniff", "\(path)")
            #expect(response["Content-Security-Policy"] == WebAssets.contentSecurityPolicy, "\(path)")
            #expect(response.body == WebAssets.files[path]?.body, "\(path)")
            let digest = Base64.encode(SHA256.hash(response.body))
            #expect(response["Repr-Digest"] == "sha-256=:\(digest):", "\(path)")
        }
        try await rig.stop()
    }

    @Test func theVersionedModuleIsImmutableAndTheOtherIsRevalidated() async throws {
        let rig = try NodeRig()
        let latest = try await WebResponse.get(rig, "/client/circles.js")
        let versioned = try await WebResponse.get(rig, "/client/v1/circles.js")
        #expect(latest["Cache-Control"] == "no-cache")
        #expect(versioned["Cache-Control"] == "public, max-age=31536000, immutable")
        #expect(latest.body == versioned.body)
        #expect(latest.text.contains("export async function connect("))
        // Web applications on other origins import the module; the playground's own files stay private.
        #expect(latest["Access-Control-Allow-Origin"] == "*")
        #expect(versioned["Cross-Origin-Resource-Policy"] == "cross-origin")
        let script = try await WebResponse.get(rig, "/playground/playground.js")
        #expect(script["Access-Control-Allow-Origin"] == nil)
        #expect(script["Cross-Origin-Resource-Policy"] == "same-origin")

        let etag = try #require(latest["ETag"])
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && etag.count == 34)
        for tag in [etag, "W/\(etag)", "\"other\", \(etag)", "*"] {
            let again = try await WebResponse.get(rig, "/client/circles.js", headers: ["If-None-Match": tag])
            #expect(again.status == 304, "\(tag)")
            #expect(again.body.isEmpty)
            #expect(again["Content-Length"] == nil)
            #expect(again["ETag"] == etag)
            #expect(again["Cache-Control"] == "no-cache")
        }
        let changed = try await WebResponse.get(rig, "/client/circles.js", headers: ["If-None-Match": "\"0123\""])
        #expect(changed.status == 200)
        #expect(changed.body == latest.body)
        try await rig.stop()
    }

    /// The file at a versioned URL never changes: pages pin it with `integrity`. A change to the module
    /// is a new version (a new path), and this digest stays what `/client/v1/circles.js` serves.
    @Test func theFileAtTheVersionedURLIsPinned() throws {
        let asset = try #require(WebAssets.files["/client/\(WebAssets.clientVersion)/circles.js"])
        #expect(asset.integrity == "sha256-\(Self.pinnedV1Digest)")
    }

    static let pinnedV1Digest = "7U2ho3tNIYimKuvoICINr+TbxU9eQT/vB9SOf5zB1qk="

    @Test func whatIsNotServedIsA404AndOtherMethodsA405() async throws {
        let rig = try NodeRig()
        for path in ["/client/v2/circles.js", "/client/circles.mjs", "/client/v1/other.js", "/playground/missing.js",
                     "/playground/../client/circles.js", "/index.html/x"] {
            #expect(try await WebResponse.get(rig, path).status == 404, "\(path)")
        }
        let post = try await WebResponse.request(rig, "POST / HTTP/1.1\r\nHost: 127.0.0.1:\(rig.port)\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
        #expect(post.status == 405)
        let head = try await WebResponse.request(rig, "HEAD /client/circles.js HTTP/1.1\r\nHost: 127.0.0.1:\(rig.port)\r\nConnection: close\r\n\r\n")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head["Content-Length"] == String(WebAssets.clientJS.utf8.count))
        try await rig.stop()
    }

    /// The page uses no inline script or style and nothing from another host; every file it names is served.
    @Test func thePageNamesOnlyFilesTheNodeServes() throws {
        let html = WebAssets.playgroundHTML
        #expect(!html.contains("style="))
        #expect(html.range(of: #"\son[a-z]+\s*="#, options: .regularExpression) == nil)
        let scripts = html.components(separatedBy: "<script").dropFirst()
        #expect(scripts.count == 1)
        for script in scripts { #expect(script.contains("src=\"/") && script.contains("></script>")) }
        var named: [String] = []
        for attribute in ["src=\"", "href=\""] {
            for part in html.components(separatedBy: attribute).dropFirst() {
                named.append(String(part.prefix { $0 != "\"" }))
            }
        }
        for module in [WebAssets.playgroundJS, WebAssets.editorJS] {
            for part in module.components(separatedBy: "from \"").dropFirst() { named.append(String(part.prefix { $0 != "\"" })) }
        }
        #expect(named.count >= 5)
        for path in named { #expect(WebAssets.files[path] != nil, "\(path)") }
        #expect(!WebAssets.playgroundCSS.contains("url(") && !WebAssets.playgroundCSS.contains("@import"))
        #expect(!(WebAssets.playgroundJS + WebAssets.clientJS).contains("import(\""))
    }
}
