/// An incremental HTTP/1.1 request parser: feed it bytes as they arrive; it yields requests (pipelined
/// ones in order) or one error with the status to answer. Limits: the head (request line and headers),
/// and the body, whose limit the caller gives per request once the head is known.
struct HTTPParser {
    enum Event {
        case request(HTTPRequest)
        /// Answer `status` with `reason` and close: the stream cannot be trusted any more.
        case failure(status: Int, reason: String)
    }

    let maxHeadBytes: Int
    private var buffer: [UInt8] = []
    private var head: HTTPRequest?
    private var bodyLimit = 0
    private var body: Body = .none
    /// Set after a request asking for a protocol upgrade: what follows it is not HTTP any more.
    private(set) var stopped = false

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

    init(maxHeadBytes: Int = 16 * 1024) { self.maxHeadBytes = maxHeadBytes }

    /// Bytes received but not yet part of a parsed request (for a protocol upgrade).
    var leftover: [UInt8] { buffer }

    /// Whether a request head has been read and its body is still arriving.
    var inRequest: Bool { !stopped && (head != nil || !buffer.isEmpty) }

    mutating func feed(_ bytes: UnsafeRawBufferPointer, bodyLimit limit: (HTTPRequest) -> Int) -> [Event] {
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        while !stopped {
            if head == nil {
                guard let end = Self.find(buffer, [13, 10, 13, 10]) else {
                    if buffer.count > maxHeadBytes {
                        events.append(.failure(status: 431, reason: "request head larger than \(maxHeadBytes) bytes"))
                    }
                    return events
                }
                guard end + 4 <= maxHeadBytes else {
                    events.append(.failure(status: 431, reason: "request head larger than \(maxHeadBytes) bytes"))
                    return events
                }
                let headBytes = Array(buffer[..<end])
                buffer.removeFirst(end + 4)
                switch Self.parseHead(headBytes) {
                case .failure(let failure):
                    events.append(.failure(status: failure.status, reason: failure.reason))
                    return events
                case .success(let (request, framing)):
                    head = request
                    bodyLimit = limit(request)
                    switch framing {
                    case .length(let length):
                        guard length <= bodyLimit else {
                            events.append(.failure(status: 413, reason: "body of \(length) bytes is over the limit of \(bodyLimit)"))
                            return events
                        }
                        body = .length(length)
                    case .chunked: body = .chunked(.size)
                    case .none: body = .length(0)
                    }
                }
            }
            guard var request = head else { return events }
            switch body {
            case .length(let length):
                guard buffer.count >= length else { return events }
                request.body = Array(buffer[..<length])
                buffer.removeFirst(length)
            case .chunked:
                switch readChunks(into: &request) {
                case .needMore:
                    head = request
                    return events
                case .failed(let status, let reason):
                    events.append(.failure(status: status, reason: reason))
                    return events
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

    private enum ChunkOutcome {
        case needMore, done
        case failed(Int, String)
    }

    private mutating func readChunks(into request: inout HTTPRequest) -> ChunkOutcome {
        while case .chunked(let state) = body {
            switch state {
            case .size:
                guard let end = Self.find(buffer, [13, 10]) else {
                    return buffer.count > 1024 ? .failed(400, "chunk size line too long") : .needMore
                }
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 2)
                let sizeText = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
                guard !sizeText.isEmpty, sizeText.count <= 8, sizeText.allSatisfy(\.isHexDigit), let size = Int(sizeText, radix: 16) else {
                    return .failed(400, "invalid chunk size '\(line)'")
                }
                guard request.body.count + size <= bodyLimit else {
                    return .failed(413, "chunked body over the limit of \(bodyLimit) bytes")
                }
                body = .chunked(size == 0 ? .trailers : .data(remaining: size))
            case .data(let remaining):
                guard !buffer.isEmpty else { return .needMore }
                let take = min(remaining, buffer.count)
                request.body.append(contentsOf: buffer[..<take])
                buffer.removeFirst(take)
                body = .chunked(take == remaining ? .dataEnd : .data(remaining: remaining - take))
            case .dataEnd:
                guard buffer.count >= 2 else { return .needMore }
                guard buffer[0] == 13, buffer[1] == 10 else { return .failed(400, "chunk data not followed by CRLF") }
                buffer.removeFirst(2)
                body = .chunked(.size)
            case .trailers:
                guard let end = Self.find(buffer, [13, 10]) else { return buffer.count > maxHeadBytes ? .failed(431, "trailers too large") : .needMore }
                buffer.removeFirst(end + 2)
                if end == 0 { return .done }
            }
        }
        return .done
    }

    enum Framing {
        case none, length(Int), chunked
    }

    struct HeadFailure: Error {
        var status: Int
        var reason: String
    }

    static func parseHead(_ bytes: [UInt8]) -> Result<(HTTPRequest, Framing), HeadFailure> {
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(HeadFailure(status: 400, reason: "request head is not UTF-8")) }
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty else { return .failure(HeadFailure(status: 400, reason: "empty request")) }
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3, !requestLine[0].isEmpty, requestLine[0].allSatisfy({ $0.isLetter && $0.isUppercase }),
            requestLine[1].hasPrefix("/") || requestLine[1] == "*"
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
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "!#$%&'*+-.^_`|~".contains($0) }) else {
                return .failure(HeadFailure(status: 400, reason: "invalid header name '\(name)'"))
            }
            headers.append((String(name), String(line[line.index(after: colon)...].trimmingCharacters(in: " \t"))))
        }
        let target = requestLine[1]
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var request = HTTPRequest(method: String(requestLine[0]), path: String(path[0]), query: path.count > 1 ? String(path[1]) : nil,
                                  version: version, headers: headers, body: [])
        let lengths = headers.filter { $0.name.lowercased() == "content-length" }.map(\.value)
        let chunked = request.headerContains("Transfer-Encoding", token: "chunked")
        if chunked {
            guard lengths.isEmpty else {
                return .failure(HeadFailure(status: 400, reason: "both Content-Length and Transfer-Encoding"))
            }
            return .success((request, .chunked))
        }
        if request.header("Transfer-Encoding") != nil {
            return .failure(HeadFailure(status: 400, reason: "unsupported Transfer-Encoding"))
        }
        if let first = lengths.first {
            guard lengths.allSatisfy({ $0 == first }), first.count <= 12, first.allSatisfy(\.isASCII), first.allSatisfy(\.isNumber), let length = Int(first) else {
                return .failure(HeadFailure(status: 400, reason: "invalid Content-Length"))
            }
            return .success((request, .length(length)))
        }
        request.body = []
        return .success((request, .none))
    }

    static func find(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0] {
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
