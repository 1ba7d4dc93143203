/// An incremental HTTP/1.1 request parser: feed it bytes as they arrive; it yields requests (pipelined
/// ones in order) or one error with the status to answer. Limits: the head (request line and headers,
/// 431), the number of header fields (431), and the body, whose limit the caller gives per request
/// once the head is known (413). Bytes that cannot start a request (a TLS ClientHello, binary
/// garbage) are refused with 400 as soon as they arrive, without waiting for a whole head.
///
/// Work per byte is bounded: searches for a line end resume where the last feed stopped, so a client
/// trickling its head byte by byte costs no more than one sending it at once.
struct HTTPParser {
    enum Event {
        case request(HTTPRequest)
        /// Answer `status` with `reason` and close: the stream cannot be trusted any more.
        case failure(status: Int, reason: String)
    }

    let maxHeadBytes: Int
    let maxHeaderCount: Int
    private var buffer: [UInt8] = []
    /// Bytes at the front of `buffer` already parsed; dropped at the end of each `feed`.
    private var start = 0
    /// How many bytes after `start` the current search has looked at without a match.
    private var searched = 0
    /// Whether the request line being received starts with a method token and a space.
    private var methodChecked = false
    private var head: HTTPRequest?
    private var bodyLimit = 0
    /// Bytes of the trailer section read so far (it counts against the head limit).
    private var trailerBytes = 0
    private var body: Body = .none
    /// Set after a request asking for a protocol upgrade: what follows it is not HTTP any more.
    private(set) var stopped = false
    /// Set after a failure: the parser refuses everything from then on.
    private(set) var failed = false

    private enum Body {
        case none
        case length(Int)
        case chunked(ChunkState)
    }

    private enum ChunkState {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers
    }

    init(maxHeadBytes: Int = 16 * 1024, maxHeaderCount: Int = 100) {
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
    }

    /// Bytes received but not yet part of a parsed request (for a protocol upgrade).
    var leftover: [UInt8] { Array(buffer[start...]) }

    /// Whether part of a request (its head, or its body) has arrived and the rest has not.
    var inRequest: Bool { !stopped && (head != nil || start < buffer.count) }

    /// Whether a request head has been read and its body is still arriving.
    var receivingBody: Bool { !stopped && head != nil }

    /// Bytes held for the request in progress: the unparsed input and the body read so far.
    var bufferedBytes: Int { buffer.count - start + (head?.body.count ?? 0) }

    /// The longest chunk-size line (size and extensions, without CRLF).
    static let maxChunkLine = 1024

    /// Parses what arrived (`bytes`, possibly none) up to `maxRequests` requests; the rest stays
    /// buffered for the next call.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, maxRequests: Int = .max, bodyLimit limit: (HTTPRequest) -> Int) -> [Event] {
        guard !failed else { return [] }
        buffer.append(contentsOf: bytes)
        defer { compact() }
        var events: [Event] = []
        func failure(_ status: Int, _ reason: String) -> [Event] {
            failed = true
            events.append(.failure(status: status, reason: reason))
            return events
        }
        while !stopped, events.count < maxRequests {
            if head == nil {
                // Empty lines before a request line are ignored (RFC 9112 section 2.2).
                while start < buffer.count, buffer[start] == 13 || buffer[start] == 10 { consume(1) }
                guard start < buffer.count else { return events }
                if !methodChecked {
                    switch methodPrefix() {
                    case .invalid: return failure(400, "not an HTTP request: a request line starts with a method token")
                    case .incomplete: return events
                    case .valid: methodChecked = true
                    }
                }
                guard let end = find([13, 10, 13, 10]) else {
                    if buffer.count - start > maxHeadBytes { return failure(431, "request head larger than \(maxHeadBytes) bytes") }
                    return events
                }
                guard end + 4 - start <= maxHeadBytes else { return failure(431, "request head larger than \(maxHeadBytes) bytes") }
                let headBytes = buffer[start..<end]
                consume(end + 4 - start)
                methodChecked = false
                switch Self.parseHead(headBytes, maxHeaderCount: maxHeaderCount) {
                case .failure(let failed):
                    return failure(failed.status, failed.reason)
                case .success(let (request, framing)):
                    head = request
                    bodyLimit = limit(request)
                    switch framing {
                    case .length(let length):
                        guard length <= bodyLimit else { return failure(413, "body of \(length) bytes is over the limit of \(bodyLimit)") }
                        body = .length(length)
                    case .chunked: body = .chunked(.size)
                    case .none: body = .length(0)
                    }
                }
            }
            guard var request = head else { return events }
            switch body {
            case .length(let length):
                guard buffer.count - start >= length else { return events }
                request.body = Array(buffer[start..<start + length])
                consume(length)
            case .chunked:
                switch readChunks(into: &request) {
                case .needMore:
                    head = request
                    return events
                case .failed(let status, let reason):
                    return failure(status, reason)
                case .done: break
                }
            case .none: break
            }
            head = nil
            body = .none
            events.append(.request(request))
            if request.header("Upgrade") != nil { stopped = true }
        }
        return events
    }

    private enum MethodPrefix {
        case valid, incomplete, invalid
    }

    /// Whether the bytes so far can begin a request line: a method token, then a space. Looks at
    /// the bytes after those already checked only.
    private mutating func methodPrefix() -> MethodPrefix {
        while start + searched < buffer.count {
            let byte = buffer[start + searched]
            if Self.isTokenByte(byte) {
                searched += 1
                if searched > 32 { return .invalid }
                continue
            }
            let valid = byte == UInt8(ascii: " ") && searched > 0
            searched = 0
            return valid ? .valid : .invalid
        }
        return .incomplete
    }

    private enum ChunkOutcome {
        case needMore, done
        case failed(Int, String)
    }

    private mutating func readChunks(into request: inout HTTPRequest) -> ChunkOutcome {
        while case .chunked(let state) = body {
            switch state {
            case .size:
                // Decided the same whether the line arrives whole or in pieces: a piece without its
                // line end may still end in the CR.
                guard let end = find([13, 10]) else {
                    return buffer.count - start > Self.maxChunkLine + 1 ? .failed(400, "chunk size line too long") : .needMore
                }
                guard end - start <= Self.maxChunkLine else { return .failed(400, "chunk size line too long") }
                let line = buffer[start..<end]
                consume(end + 2 - start)
                let sizeBytes = line.prefix { $0 != UInt8(ascii: ";") }
                guard !sizeBytes.isEmpty, sizeBytes.count <= 8, sizeBytes.allSatisfy(Self.isHexDigit),
                    let size = Int(String(decoding: sizeBytes, as: UTF8.self), radix: 16)
                else {
                    return .failed(400, "invalid chunk size '\(String(decoding: line.prefix(40), as: UTF8.self))'")
                }
                guard request.body.count + size <= bodyLimit else {
                    return .failed(413, "chunked body over the limit of \(bodyLimit) bytes")
                }
                body = .chunked(size == 0 ? .trailers : .data(remaining: size))
                trailerBytes = 0
            case .data(let remaining):
                guard start < buffer.count else { return .needMore }
                let take = min(remaining, buffer.count - start)
                request.body.append(contentsOf: buffer[start..<start + take])
                consume(take)
                body = .chunked(take == remaining ? .dataEnd : .data(remaining: remaining - take))
            case .dataEnd:
                guard buffer.count - start >= 2 else { return .needMore }
                guard buffer[start] == 13, buffer[start + 1] == 10 else { return .failed(400, "chunk data not followed by CRLF") }
                consume(2)
                body = .chunked(.size)
            case .trailers:
                guard let end = find([13, 10]) else {
                    return trailerBytes + buffer.count - start + 1 > maxHeadBytes ? .failed(431, "trailers larger than \(maxHeadBytes) bytes") : .needMore
                }
                trailerBytes += end + 2 - start
                guard trailerBytes <= maxHeadBytes else { return .failed(431, "trailers larger than \(maxHeadBytes) bytes") }
                let empty = end == start
                consume(end + 2 - start)
                if empty { return .done }
            }
        }
        return .done
    }

    /// Marks `count` more bytes as parsed; a new search starts after them.
    private mutating func consume(_ count: Int) {
        start += count
        searched = 0
    }

    /// Drops the parsed bytes (once per feed, so pipelined requests do not shift the buffer each).
    private mutating func compact() {
        guard start > 0 else { return }
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 64 * 1024)
        } else {
            buffer.removeFirst(start)
        }
        start = 0
    }

    /// The absolute index of `needle` after `start`, resuming where the last unsuccessful search of
    /// the same needle stopped.
    private mutating func find(_ needle: [UInt8]) -> Int? {
        let from = start + max(0, searched - (needle.count - 1))
        if let index = Self.find(buffer, needle, from: from) { return index }
        searched = buffer.count - start
        return nil
    }

    enum Framing {
        case none, length(Int), chunked
    }

    struct HeadFailure: Error {
        var status: Int
        var reason: String
    }

    static func parseHead(_ bytes: ArraySlice<UInt8>, maxHeaderCount: Int = 100) -> Result<(HTTPRequest, Framing), HeadFailure> {
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(HeadFailure(status: 400, reason: "request head is not UTF-8")) }
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty else { return .failure(HeadFailure(status: 400, reason: "empty request")) }
        guard lines.count - 1 <= maxHeaderCount else {
            return .failure(HeadFailure(status: 431, reason: "more than \(maxHeaderCount) header fields"))
        }
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3, !requestLine[0].isEmpty, requestLine[0].allSatisfy({ $0.isASCII && $0.isLetter && $0.isUppercase }),
            requestLine[1].hasPrefix("/") || requestLine[1] == "*", requestLine[1].utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return .failure(HeadFailure(status: 400, reason: "malformed request line")) }
        let version = String(requestLine[2])
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            return .failure(HeadFailure(status: 505, reason: "only HTTP/1.1 and HTTP/1.0 are supported"))
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            if line.first == " " || line.first == "\t" {
                return .failure(HeadFailure(status: 400, reason: "obsolete header folding is not allowed"))
            }
            guard let colon = line.firstIndex(of: ":") else { return .failure(HeadFailure(status: 400, reason: "header line without ':'")) }
            let name = line[..<colon]
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else {
                return .failure(HeadFailure(status: 400, reason: "invalid header name '\(name.prefix(40))'"))
            }
            let value = line[line.index(after: colon)...]
            // CR, LF and NUL (and other controls but tab) in a value could smuggle a second header.
            guard value.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 }) else {
                return .failure(HeadFailure(status: 400, reason: "control character in header '\(name.prefix(40))'"))
            }
            headers.append((String(name), String(value.trimmingCharacters(in: " \t"))))
        }
        let target = requestLine[1]
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var request = HTTPRequest(method: String(requestLine[0]), path: String(path[0]), query: path.count > 1 ? String(path[1]) : nil,
                                  version: version, headers: headers, body: [])
        let lengths = headers.filter { $0.name.lowercased() == "content-length" }.map(\.value)
        // Only exactly `chunked` is understood: a list (`gzip, chunked`, `chunked, gzip`), `identity` or a
        // repeated field would be framed differently by another server on the way (request smuggling).
        let codings = headers.filter { $0.name.lowercased() == "transfer-encoding" }.map(\.value)
        if !codings.isEmpty {
            guard codings.count == 1, codings[0].lowercased() == "chunked" else {
                return .failure(HeadFailure(status: 501, reason: "unsupported Transfer-Encoding '\(codings.joined(separator: ", ").prefix(60))' (only chunked)"))
            }
            guard lengths.isEmpty else {
                return .failure(HeadFailure(status: 400, reason: "both Content-Length and Transfer-Encoding"))
            }
            return .success((request, .chunked))
        }
        if let first = lengths.first {
            guard lengths.allSatisfy({ $0 == first }), !first.isEmpty, first.count <= 12, first.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let length = Int(first)
            else {
                return .failure(HeadFailure(status: 400, reason: "invalid Content-Length"))
            }
            return .success((request, .length(length)))
        }
        request.body = []
        return .success((request, .none))
    }

    /// RFC 9110 `tchar`: what method and header names are made of.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
            UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): true
        default: false
        }
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): true
        default: false
        }
    }

    /// The index of the first `needle` in `haystack` at or after `from`.
    static func find(_ haystack: [UInt8], _ needle: [UInt8], from: Int = 0) -> Int? {
        guard haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var index = from
        while index <= haystack.count - needle.count {
            if haystack[index] == first {
                var match = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    match = false
                    break
                }
                if match { return index }
            }
            index += 1
        }
        return nil
    }
}
