import Testing
@testable import Transport

extension Fuzz {
    /// Deterministic random-input tests of `HTTPParser` (seeded, bounded, a few seconds in CI): random
    /// bytes, mutations of valid requests, and valid pipelines, each fed whole and in random pieces.
    /// Whatever the input: no crash, no hang, at most one failure and nothing after it, limits held
    /// (buffered bytes, body size, header count), and the same events whether split or not.
    @Suite struct HTTPParserFuzzTests {
        static let maxHeadBytes = 600
        static let maxHeaderCount = 12
        static let bodyLimit = 256

        static let corpus: [String] = [
            "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /hello/world?x=1&y=%20 HTTP/1.1\r\nHost: example\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n",
            "HEAD /h HTTP/1.0\r\n\r\n",
            "POST /echo HTTP/1.1\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
            "POST /echo HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
            "POST /small HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789",
            "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5;ext=1\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n",
            "POST /echo HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: yes\r\nMore: x\r\n\r\n",
            "PUT /a/b/c HTTP/1.1\r\nContent-Length: 3\r\nX-Empty:\r\nX-Tab:\tv\t\r\n\r\nabc",
            "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n\u{81}\u{80}abcd",
            "OPTIONS * HTTP/1.1\r\n\r\n",
            "\r\nDELETE /x HTTP/1.1\r\n\r\n",
        ]

        /// What random bytes follow: nothing, a request line, a chunked body's head, a long body's head.
        static let noisePrefixes = ["", "GET / HTTP/1.1\r\n", "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                                    "POST /echo HTTP/1.1\r\nContent-Length: 200\r\n\r\n"]

        static let interesting = Array("\r\n\r\n :;\t0123456789abcdefxXzZ-+=/?GETPOSTHTTP/1.1\u{0}\u{7F}".utf8) + [0x16, 0x03, 0x80, 0xFF, 0xC3]

        /// What a run of the parser said, comparable across runs.
        enum Outcome: Equatable, CustomStringConvertible {
            case request(String)
            case failure(Int, String)

            var description: String {
                switch self {
                case .request(let summary): summary
                case .failure(let status, let reason): "\(status) \(reason)"
                }
            }
        }

        @Test(.timeLimit(.minutes(1))) func validRequestsParseTheSameWhereverTheyAreSplit() async {
            await Fuzz.cases(5_000, seed: 1, interesting: Self.interesting) { index, mutator, findings in
                var pipeline: [UInt8] = []
                let count = 1 + mutator.random.below(4)
                for position in 0..<count {
                    // Only the last request of a pipeline may ask for an upgrade.
                    var request = mutator.random.pick(Self.corpus)
                    while position < count - 1, request.contains("Upgrade") { request = mutator.random.pick(Self.corpus) }
                    pipeline += Array(request.utf8)
                }
                let whole = Self.run(pipeline, splits: [], &findings)
                findings.check(whole.count == count && !whole.contains { if case .failure = $0 { true } else { false } },
                               "case \(index): \(count) requests gave \(whole)")
                let splits = index % 10 == 0 ? Array(1..<pipeline.count) : mutator.splits(pipeline.count, maxPieces: 16)
                let split = Self.run(pipeline, splits: splits, &findings)
                findings.check(split == whole, "case \(index), splits \(splits): \(split) != \(whole)")
            }
        }

        @Test(.timeLimit(.minutes(1))) func mutatedRequestsNeverBreakTheLimits() async {
            await Fuzz.cases(10_000, seed: 2, interesting: Self.interesting) { index, mutator, findings in
                let base = Array(mutator.random.pick(Self.corpus).utf8) + (mutator.random.oneIn(3) ? Array(mutator.random.pick(Self.corpus).utf8) : [])
                let input = index % 4 == 0 ? Self.chunkSizeGarbage(base, &mutator) : mutator.mutate(base, other: Array(mutator.random.pick(Self.corpus).utf8))
                let whole = Self.run(input, splits: [], &findings)
                let splits = mutator.splits(input.count)
                let split = Self.run(input, splits: splits, &findings)
                findings.check(split == whole, "case \(index), splits \(splits): \(split) != \(whole) for \(input)")
            }
        }

        @Test(.timeLimit(.minutes(1))) func randomBytesNeverBreakTheLimits() async {
            await Fuzz.cases(5_000, seed: 3, interesting: Self.interesting) { index, mutator, findings in
                let length = mutator.random.below(mutator.random.oneIn(20) ? 3_000 : 400)
                let noise = (0..<length).map { _ in mutator.random.oneIn(2) ? mutator.random.byte() : mutator.random.pick(Self.interesting) }
                let input = Array(mutator.random.pick(Self.noisePrefixes).utf8) + noise
                let whole = Self.run(input, splits: [], &findings)
                let splits = mutator.splits(input.count, maxPieces: 32)
                let split = Self.run(input, splits: splits, &findings)
                findings.check(split == whole, "case \(index), splits \(splits): \(split) != \(whole)")
            }
        }

        /// Garbage where a chunk size belongs: after a random line end past the head.
        static func chunkSizeGarbage(_ base: [UInt8], _ mutator: inout FuzzMutator) -> [UInt8] {
            let chunked = Array("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            let sizeish = Array("0123456789abcdefABCDEFxX-+ ;=\t\r\n".utf8) + [0x00, 0xFF]
            var bytes = mutator.random.oneIn(2) ? base : chunked
            let garbage = (0...mutator.random.below(12)).map { _ in mutator.random.pick(sizeish) }
            let lineEnds = bytes.indices.dropLast().filter { bytes[$0] == 13 && bytes[$0 + 1] == 10 }
            let at = lineEnds.isEmpty ? bytes.count : mutator.random.pick(lineEnds) + 2
            bytes.insert(contentsOf: garbage, at: at)
            if mutator.random.oneIn(2) { bytes += Array("\r\nabc\r\n0\r\n\r\n".utf8) }
            return bytes
        }

        /// Feeds `input` cut at `splits`, checking the invariants after every piece.
        static func run(_ input: [UInt8], splits: [Int], _ findings: inout FuzzFindings) -> [Outcome] {
            var parser = HTTPParser(maxHeadBytes: maxHeadBytes, maxHeaderCount: maxHeaderCount)
            var outcomes: [Outcome] = []
            var failed = false
            for piece in FuzzMutator.pieces(input, at: splits) {
                guard !parser.stopped else { break }
                let events = piece.withUnsafeBytes { parser.feed($0) { $0.path == "/small" ? 10 : bodyLimit } }
                findings.check(!failed || events.isEmpty, "\(events.count) events after a failure")
                for event in events {
                    switch event {
                    case .request(let request):
                        findings.check(request.body.count <= bodyLimit, "a body of \(request.body.count) bytes")
                        findings.check(request.headers.count <= maxHeaderCount, "\(request.headers.count) header fields")
                        outcomes.append(.request(summary(request)))
                    case .failure(let status, let reason):
                        findings.check(!failed, "a second failure")
                        findings.check([400, 413, 431, 501, 505].contains(status), "status \(status)")
                        failed = true
                        outcomes.append(.failure(status, reason))
                    }
                }
                if !failed, !parser.stopped {
                    // Held bytes stay within the limits whatever arrived: a partial head, a partial
                    // body or chunk line, and the body read so far.
                    findings.check(parser.bufferedBytes <= max(maxHeadBytes, bodyLimit, HTTPParser.maxChunkLine + 1) + bodyLimit,
                                   "holding \(parser.bufferedBytes) bytes")
                }
            }
            return outcomes
        }

        static func summary(_ request: HTTPRequest) -> String {
            let headers = request.headers.map { "\($0.name)=\($0.value)" }.joined(separator: "|")
            return "\(request.method) \(request.path) \(request.query ?? "-") \(request.version) [\(headers)] \(String(decoding: request.body, as: UTF8.self))"
        }
    }
}
