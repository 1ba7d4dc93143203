// libFuzzer harness for the HTTP/1.1 request parser (scripts/fuzz.sh http SECONDS), compiled with
// the parser's sources into one module. The first input byte chooses how the rest is split into
// reads and the pipelining bound; the parser must decide the same whether the bytes come whole or
// in pieces, and whether requests are taken all at once or a few per call.

struct ParsedTrace: Equatable {
    var requests: [String] = []
    var failure: String?
}

private func describe(_ events: [HTTPParser.Event], into trace: inout ParsedTrace) {
    for event in events {
        switch event {
        case .request(let request):
            trace.requests.append("\(request.method) \(request.path) \(request.query ?? "-") \(request.headers.count) \(request.body.count) \(request.body.hashValue)")
        case .failure(let status, let reason):
            if trace.failure == nil { trace.failure = "\(status) \(reason)" }
        }
    }
}

private func parse(_ input: [UInt8], pieces: [Int], maxRequests: Int) -> ParsedTrace {
    var parser = HTTPParser(maxHeadBytes: 2_048, maxHeaderCount: 16)
    var trace = ParsedTrace()
    let limit: (HTTPRequest) -> Int = { $0.path.hasPrefix("/big") ? 4_096 : 256 }
    FuzzPieces.feed(input, pieces: pieces) { read in
        // maxRequests 0: bytes that arrive while the connection's queue is full are only kept.
        describe(parser.feed(read, maxRequests: maxRequests - 1, bodyLimit: limit), into: &trace)
        // Take what the parser still holds, a bounded number at a time (as a paused connection does).
        while !parser.failed, !parser.stopped {
            let events = parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), maxRequests: maxRequests, bodyLimit: limit)
            if events.isEmpty { break }
            describe(events, into: &trace)
        }
        precondition(parser.bufferedBytes <= input.count, "the parser holds more than it was given")
        return true
    }
    return trace
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let cut = FuzzPieces(data, size, maxPiece: 64) else { return 0 }
    let (control, input, pieces) = (cut.control, cut.input, cut.pieces)
    let whole = parse(input, pieces: [], maxRequests: .max)
    let split = parse(input, pieces: pieces, maxRequests: Int(control % 4) + 1)
    precondition(whole == split, "the parser decided differently for the same bytes:\n\(whole)\n\(split)")
    return 0
}
