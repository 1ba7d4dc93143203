import Testing
@testable import Transport

/// The request parser on its own: limits at their exact edges, malformed heads and chunked bodies,
/// pipelines, and bytes that cannot be HTTP refused at once.
@Suite struct HTTPParserTests {
    enum Result: Equatable {
        case request(method: String, path: String, body: String)
        case failure(Int)
    }

    /// Feeds `input` (in `pieces` equal parts) with a body limit of `bodyLimit`.
    func parse(_ input: [UInt8], maxHeadBytes: Int = 16 * 1024, maxHeaderCount: Int = 100, bodyLimit: Int = 64,
               pieces: Int = 1) -> [Result] {
        var parser = HTTPParser(maxHeadBytes: maxHeadBytes, maxHeaderCount: maxHeaderCount)
        var results: [Result] = []
        let size = max(1, (input.count + pieces - 1) / pieces)
        var offset = 0
        repeat {
            let piece = input[offset..<min(input.count, offset + size)]
            for event in piece.withUnsafeBytes({ parser.feed($0) { _ in bodyLimit } }) {
                switch event {
                case .request(let request):
                    results.append(.request(method: request.method, path: request.path, body: String(decoding: request.body, as: UTF8.self)))
                case .failure(let status, _): results.append(.failure(status))
                }
            }
            offset += size
        } while offset < input.count
        return results
    }

    func parse(_ text: String, maxHeadBytes: Int = 16 * 1024, maxHeaderCount: Int = 100, bodyLimit: Int = 64, pieces: Int = 1) -> [Result] {
        parse(Array(text.utf8), maxHeadBytes: maxHeadBytes, maxHeaderCount: maxHeaderCount, bodyLimit: bodyLimit, pieces: pieces)
    }

    /// A GET whose head is exactly `size` bytes long.
    func head(ofSize size: Int) -> String {
        let bare = "GET / HTTP/1.1\r\nX: \r\n\r\n"
        return "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: size - bare.utf8.count) + "\r\n\r\n"
    }

    @Test func theHeadLimitHoldsToTheByteWholeOrTrickled() {
        for pieces in [1, 7, 16 * 1024] {
            #expect(parse(head(ofSize: 16 * 1024), pieces: pieces) == [.request(method: "GET", path: "/", body: "")])
            #expect(parse(head(ofSize: 16 * 1024 + 1), pieces: pieces) == [.failure(431)])
        }
        // Refused as soon as the head is over the limit, not when it ends.
        #expect(parse("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 16 * 1024)) == [.failure(431)])
    }

    @Test func theHeaderCountLimitHolds() {
        let fields = { (count: Int) in (0..<count).map { "H\($0): v\r\n" }.joined() }
        #expect(parse("GET / HTTP/1.1\r\n\(fields(100))\r\n") == [.request(method: "GET", path: "/", body: "")])
        #expect(parse("GET / HTTP/1.1\r\n\(fields(101))\r\n") == [.failure(431)])
        #expect(parse("GET / HTTP/1.1\r\n\(fields(4))\r\n", maxHeaderCount: 3) == [.failure(431)])
    }

    @Test func theBodyLimitHoldsForLengthsAndChunks() {
        let body64 = String(repeating: "b", count: 64)
        #expect(parse("POST /p HTTP/1.1\r\nContent-Length: 64\r\n\r\n\(body64)") == [.request(method: "POST", path: "/p", body: body64)])
        // Refused from the head alone, before any of the body is read.
        #expect(parse("POST /p HTTP/1.1\r\nContent-Length: 65\r\n\r\n") == [.failure(413)])
        #expect(parse("POST /p HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n") == [.failure(413)])
        #expect(parse("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n\(body64.prefix(32))\r\n20\r\n\(body64.prefix(32))\r\n0\r\n\r\n")
            == [.request(method: "POST", path: "/p", body: body64)])
        // The chunk that would cross the limit is refused from its size line.
        #expect(parse("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n\(body64.prefix(32))\r\n21\r\n") == [.failure(413)])
        #expect(parse("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffff\r\n") == [.failure(413)])
    }

    @Test(arguments: [
        "zz", "-1", "+1", "0x10", " 10", "10 ", "", ";ext", "123456789", "1\u{0}", "１",
    ])
    func badChunkSizesAre400(size: String) {
        #expect(parse("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\(size)\r\nabc\r\n0\r\n\r\n") == [.failure(400)])
    }

    @Test func chunkFramingErrorsAre400() {
        // Data longer than its size, and a size line that never ends.
        #expect(parse("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n") == [.failure(400)])
        #expect(parse("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;" + String(repeating: "e", count: 2_000)) == [.failure(400)])
        #expect(parse("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;" + String(repeating: "e", count: 2_000) + "\r\n") == [.failure(400)])
        // Extensions and trailers within limits are fine; trailers count against the head limit.
        #expect(parse("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;a=b;c\r\nabc\r\n0\r\nT: 1\r\n\r\n")
            == [.request(method: "POST", path: "/p", body: "abc")])
        #expect(parse("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: " + String(repeating: "t", count: 600) + "\r\n\r\n", maxHeadBytes: 512)
            == [.failure(431)])
    }

    @Test(arguments: [
        "GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\r\n\tfolded\r\n\r\n",
        "GET / HTTP/1.1\r\n folded-first: a\r\n\r\n",
    ])
    func obsoleteLineFoldingIs400(raw: String) {
        #expect(parse(raw) == [.failure(400)])
    }

    @Test(arguments: [
        "GET / HTTP/1.1\r\nX: a\u{0}b\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\nContent-Length: 5\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
        "GET /a b HTTP/1.1\r\n\r\n",
        "GET  / HTTP/1.1\r\n\r\n",
        "GET http://h/ HTTP/1.1\r\n\r\n",
        "get / HTTP/1.1\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: \r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n",
    ])
    func malformedHeadsAre400(raw: String) {
        #expect(parse(raw) == [.failure(400)])
    }

    @Test func bytesThatCannotStartARequestAreRefusedAtOnce() {
        // The first bytes of a TLS ClientHello: refused without waiting for a head that never comes.
        #expect(parse([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03]) == [.failure(400)])
        #expect(parse([0x16]) == [.failure(400)])
        #expect(parse([0x00, 0x00]) == [.failure(400)])
        #expect(parse(" GET / HTTP/1.1") == [.failure(400)])
        #expect(parse("GET\r\n") == [.failure(400)])
        #expect(parse("G\u{E9}T") == [.failure(400)])
        #expect(parse(String(repeating: "A", count: 33)) == [.failure(400)])
        // A method in progress is not judged early.
        #expect(parse("GE").isEmpty)
        #expect(parse("GET /partial").isEmpty)
        // Empty lines before a request line are skipped (RFC 9112 section 2.2).
        #expect(parse("\r\n\r\nGET / HTTP/1.1\r\n\r\n") == [.request(method: "GET", path: "/", body: "")])
    }

    @Test func pipelinedRequestsComeOutInOrderHoweverTheyAreCut() {
        let pipeline = "GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyz"
            + "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\nGET /d HTTP/1.1\r\n\r\n"
        let expected: [Result] = [
            .request(method: "GET", path: "/a", body: ""), .request(method: "POST", path: "/b", body: "xyz"),
            .request(method: "POST", path: "/c", body: "hi"), .request(method: "GET", path: "/d", body: ""),
        ]
        for pieces in [1, 2, 3, 5, 11, pipeline.utf8.count] {
            #expect(parse(pipeline, pieces: pieces) == expected, "\(pieces) pieces")
        }
        // A failure ends the stream: what follows is not parsed.
        #expect(parse("GET /a HTTP/1.1\r\n\r\nBAD\u{1}\r\n\r\nGET /b HTTP/1.1\r\n\r\n") == [.request(method: "GET", path: "/a", body: ""), .failure(400)])
    }

    @Test func anUpgradeRequestStopsTheParserAndKeepsWhatFollows() {
        var parser = HTTPParser()
        let raw = Array("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n\u{1}\u{2}GET / HTTP/1.1\r\n\r\n".utf8)
        let events = raw.withUnsafeBytes { parser.feed($0) { _ in 0 } }
        #expect(events.count == 1)
        #expect(parser.stopped)
        #expect(parser.leftover == Array("\u{1}\u{2}GET / HTTP/1.1\r\n\r\n".utf8))
    }

    @Test(arguments: ["gzip, chunked", "chunked, gzip", "identity", "gzip", "chunked,chunked", " chunked , identity", "x-chunked"])
    func transferCodingsOtherThanExactlyChunkedAreRefused(coding: String) {
        let body = "3\r\nabc\r\n0\r\n\r\n"
        #expect(parse("POST /p HTTP/1.1\r\nTransfer-Encoding: \(coding)\r\n\r\n\(body)") == [.failure(501)])
    }

    @Test func aRepeatedTransferEncodingFieldIsRefusedAndChunkedInAnyCaseIsRead() {
        let body = "3\r\nabc\r\n0\r\n\r\n"
        #expect(parse("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n\(body)") == [.failure(501)])
        #expect(parse("POST /p HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n\(body)") == [.request(method: "POST", path: "/p", body: "abc")])
    }
}
