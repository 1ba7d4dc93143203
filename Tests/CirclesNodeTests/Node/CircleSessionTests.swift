import Codecs
import ActorsTestKit
import Actors
import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode

/// Session outputs recorded by a probe, in order.
enum Sent: Sendable, Equatable {
    case text(String)
    case close(UInt16)
}

struct ProbeOutput: SessionOutput {
    let probe: ActorRef<Sent>
    func send(text: String) { probe.tell(.text(text)) }
    func close(code: UInt16, reason: String) { probe.tell(.close(code)) }
}

/// A session wired to a real nonce store, embedded queue, script runner and worker.
final class SessionRig: Sendable {
    static let circle = PrivateKey().publicKey.hex

    let system = ActorSystem(name: "session-tests")
    let probe: TestProbe<Sent>
    let session: ActorRef<CircleSession.Message>
    let queue = EmbeddedTaskQueue()
    let runner: ScriptRunner
    let worker: TaskWorker
    let metrics = NodeMetrics()

    init(settings: SessionSettings = SessionSettings(circle: SessionRig.circle), nonceTTL: Double = 300, workers: Bool = true,
         nonceClock: @escaping @Sendable () -> Double = EmbeddedTaskQueue.wallClock) throws {
        // The rig's nonce store runs on the shared pool, which the whole suite loads for seconds at a time.
        var patient = settings
        patient.nonceTimeout = .seconds(30)
        let settings = patient
        probe = TestProbe<Sent>(system: system)
        let nonces = system.spawn { NonceStore(table: NonceTable(ttl: nonceTTL), clock: nonceClock) }
        runner = ScriptRunner(dataDirectory: try TemporaryDirectory.make(prefix: "circles-session"))
        worker = TaskWorker(id: "w", source: queue, runner: runner, concurrency: 4)
        if workers { Task { [worker] in await worker.run() } }
        Task { [queue] in await queue.maintain() }
        let (output, queue, metrics) = (ProbeOutput(probe: probe.ref), self.queue, self.metrics)
        session = system.spawn {
            CircleSession(connection: 1, settings: settings, output: output, nonces: nonces, queue: queue, metrics: metrics)
        }
    }

    deinit {
        queue.close()
    }

    func call(_ method: String, _ params: JSON? = nil, id: Int64 = 1) {
        session.tell(.frame(RPCRequest(method: method, params: params, id: .int(id)).json.serialized))
    }

    func reply() async throws -> JSON {
        guard case .text(let text) = try await probe.expectMessage(timeout: .seconds(20)) else { throw TestKitError("expected a text frame") }
        return try JSONParser.parse(text)
    }

    func errorCode() async throws -> Int64? { try await reply()["error"]?["code"]?.intValue }

    func nonce(for key: PrivateKey, uncompressed: Bool = false) async throws -> String {
        let pubkey = uncompressed ? Hex.encode(key.publicKey.uncompressed) : key.publicKey.hex
        call("fetch_nonce", ["pubkey": .string(pubkey)])
        let reply = try await reply()
        guard let nonce = reply["result"]?["nonce"]?.stringValue else { throw TestKitError("no nonce in \(reply)") }
        return nonce
    }

    func authenticate(_ key: PrivateKey) async throws {
        let nonce = try await nonce(for: key)
        call("authenticate", ["pubkey": .string(key.publicKey.hex), "signature": .string(Hex.encode(key.signCompact(Array(nonce.utf8))))])
        let reply = try await reply()
        guard reply["result"]?["authenticated"] == .bool(true) else { throw TestKitError("not authenticated: \(reply)") }
    }
}

@Suite struct CircleSessionTests {
    @Test func peerAPlaysAScriptInTheCirclesContextAndTheScriptSeesBothKeys() async throws {
        let rig = try SessionRig()
        let peerA = PrivateKey()
        try await rig.authenticate(peerA)
        rig.call("play", ["script": #"print("hi"); `${CALLER_PUBLIC_KEY}->${CIRCLE_PUBLIC_KEY}`"#], id: 7)
        let reply = try await rig.reply()
        #expect(reply["id"] == 7)
        #expect(reply["result"]?["output"] == .string("\(peerA.publicKey.hex)->\(SessionRig.circle)"))
        #expect(reply["result"]?["logs"] == ["hi"])
        rig.call("whoami", id: 8)
        let whoami = try await rig.reply()
        #expect(whoami["result"] == ["circle": .string(SessionRig.circle), "pubkey": .string(peerA.publicKey.hex), "authenticated": true])
        #expect(rig.metrics.authSucceeded.current == 1)
        #expect(rig.metrics.playsCompleted.current == 1)
    }

    @Test func originalClientsAuthenticateWithUncompressedKeysAndEthereumSignatures() async throws {
        let rig = try SessionRig()
        let key = PrivateKey()
        let nonce = try await rig.nonce(for: key, uncompressed: true)
        rig.call("authenticate", ["pubkey": .string(Hex.encode(key.publicKey.uncompressed)),
                                  "signature": .string("0x" + Hex.encode(key.signEthereum(Array(nonce.utf8))))])
        #expect(try await rig.reply()["result"]?["authenticated"] == true)
    }

    @Test func aNonceIsSingleUse() async throws {
        let rig = try SessionRig()
        let key = PrivateKey()
        let nonce = try await rig.nonce(for: key)
        let params: JSON = ["pubkey": .string(key.publicKey.hex), "signature": .string(Hex.encode(key.signCompact(Array(nonce.utf8))))]
        rig.call("authenticate", params)
        #expect(try await rig.reply()["result"]?["authenticated"] == true)
        rig.call("authenticate", params)
        #expect(try await rig.errorCode() == -32003)
    }

    @Test func anExpiredNonceIsRefused() async throws {
        // The nonce store's clock is the test's: a nonce used just before its TTL is accepted, one used
        // just after is refused, so the refusal is its age and not a lost nonce.
        let clock = ManualClock()
        let rig = try SessionRig(nonceTTL: 60, nonceClock: clock.read)
        func authenticate(_ key: PrivateKey, after seconds: Double) async throws -> JSON {
            let nonce = try await rig.nonce(for: key)
            clock.advance(seconds)
            rig.call("authenticate", ["pubkey": .string(key.publicKey.hex), "signature": .string(Hex.encode(key.signCompact(Array(nonce.utf8))))])
            return try await rig.reply()
        }
        #expect(try await authenticate(PrivateKey(), after: 59.9)["result"]?["authenticated"] == true)
        let late = try await authenticate(PrivateKey(), after: 60.1)
        #expect(late["error"]?["code"]?.intValue == -32003, "\(late)")
    }

    @Test(arguments: ["another key", "another nonce", "DER", "not hex", "wrong length", "malformed pubkey"])
    func badCredentialsAreRefusedAndTheConnectionClosedWith1008(case name: String) async throws {
        let rig = try SessionRig()
        let key = PrivateKey()
        let nonce = try await rig.nonce(for: key)
        var pubkey = key.publicKey.hex
        let signature: String
        switch name {
        case "another key": signature = Hex.encode(PrivateKey().signCompact(Array(nonce.utf8)))
        case "another nonce": signature = Hex.encode(key.signCompact(Array("other nonce".utf8)))
        case "DER": signature = "3044022000112233445566778899aabbccddeeff00112233445566778899aabbccddeeff02200011223344556677889900aabbccddeeff00112233445566778899aabbccddee"
        case "not hex": signature = "zz-not-hex"
        case "wrong length": signature = String(repeating: "ab", count: 40)
        default:
            pubkey = "02" + String(repeating: "00", count: 32)
            signature = Hex.encode(key.signCompact(Array(nonce.utf8)))
        }
        rig.call("authenticate", ["pubkey": .string(pubkey), "signature": .string(signature)])
        let reply = try await rig.reply()
        #expect(reply["error"]?["code"] == -32002)
        #expect(reply["error"]?["message"] == "Invalid credentials")
        try await rig.probe.expectMessage(.close(1008))
        rig.call("whoami")
        try await rig.probe.expectNoMessage(within: .milliseconds(50))
        #expect(rig.metrics.authFailed.current == 1)
    }

    @Test func authenticateMayNameTheKeyInAnotherFormButNotAnotherKey() async throws {
        let rig = try SessionRig()
        let key = PrivateKey()
        // The nonce was fetched with the compressed form; the uncompressed form names the same key.
        let nonce = try await rig.nonce(for: key)
        rig.call("authenticate", ["pubkey": .string(Hex.encode(key.publicKey.uncompressed)),
                                  "signature": .string(Hex.encode(key.signCompact(Array(nonce.utf8))))])
        #expect(try await rig.reply()["result"]?["authenticated"] == true)
        // A nonce fetched for one key does not authenticate another, even with that key's own signature.
        let other = PrivateKey()
        let second = try await rig.nonce(for: key)
        rig.call("authenticate", ["pubkey": .string(other.publicKey.hex),
                                  "signature": .string(Hex.encode(other.signCompact(Array(second.utf8))))])
        #expect(try await rig.errorCode() == -32003)
    }

    @Test func playBeforeAuthenticateIsRefusedUnlessAuthIsOff() async throws {
        let rig = try SessionRig()
        rig.call("play", ["script": "1"])
        #expect(try await rig.errorCode() == -32001)
        let open = try SessionRig(settings: SessionSettings(circle: SessionRig.circle, authRequired: false))
        open.call("play", ["script": "CALLER_PUBLIC_KEY"])
        #expect(try await open.reply()["result"]?["output"] == "anonymous")
    }

    @Test func protocolErrorsGetTheirStandardCodesAndTheSessionGoesOn() async throws {
        let rig = try SessionRig()
        rig.session.tell(.frame("{not json"))
        #expect(try await rig.errorCode() == -32700)
        rig.session.tell(.frame(#"{"jsonrpc":"2.0","id":1}"#))
        #expect(try await rig.errorCode() == -32600)
        rig.call("explode")
        #expect(try await rig.errorCode() == -32601)
        rig.call("fetch_nonce", ["pubkey": 5])
        #expect(try await rig.errorCode() == -32602)
        rig.call("fetch_nonce", ["pubkey": "02zz"])
        #expect(try await rig.errorCode() == -32602)
        rig.call("fetch_nonce", [1, 2])
        #expect(try await rig.errorCode() == -32602)
        try await rig.authenticate(PrivateKey())
    }

    @Test func scriptFailuresAreExecutionErrorsWithKindAndPosition() async throws {
        let rig = try SessionRig()
        try await rig.authenticate(PrivateKey())
        rig.call("play", ["script": "let x = 1;\nx +* 2"])
        let reply = try await rig.reply()
        #expect(reply["error"]?["code"] == -32000)
        #expect(reply["error"]?["message"] == "Execution error")
        #expect(reply["error"]?["data"]?["kind"] == "parse")
        #expect(reply["error"]?["data"]?["line"] == 2)
        rig.call("play", ["script": #"throw "no""#])
        #expect(try await rig.reply()["error"]?["data"]?["kind"] == "runtime")
    }

    @Test func batchesAnswerInOneArrayAndNotificationsAreNotAnswered() async throws {
        let rig = try SessionRig(settings: SessionSettings(circle: SessionRig.circle, authRequired: false))
        rig.session.tell(.frame("""
            [{"jsonrpc":"2.0","method":"play","params":{"script":"6 * 7"},"id":1},
             {"jsonrpc":"2.0","method":"nope","id":2},
             {"jsonrpc":"2.0","method":"play","params":{"script":"1"}},
             5,
             {"jsonrpc":"2.0","method":"whoami","id":"w"}]
            """))
        let reply = try await rig.reply()
        let responses = try #require(reply.arrayValue)
        #expect(responses.count == 4)
        #expect(responses[0]["result"]?["output"] == "42")
        #expect(responses[1]["error"]?["code"] == -32601)
        #expect(responses[2]["error"]?["code"] == -32600)
        #expect(responses[3]["id"] == "w")
        rig.session.tell(.frame(#"[{"jsonrpc":"2.0","method":"whoami"}]"#))
        rig.session.tell(.frame(#"{"jsonrpc":"2.0","method":"whoami"}"#))
        try await rig.probe.expectNoMessage(within: .milliseconds(50))
        rig.session.tell(.frame("[]"))
        #expect(try await rig.errorCode() == -32600)
    }

    @Test func playsInFlightAreBoundedPerSessionAndAnsweredById() async throws {
        let rig = try SessionRig(settings: SessionSettings(circle: SessionRig.circle, authRequired: false, playTimeout: 0.3, maxInFlight: 2),
                                 workers: false)
        rig.call("play", ["script": "1"], id: 1)
        rig.call("play", ["script": "2"], id: 2)
        rig.call("play", ["script": "3"], id: 3)
        let refused = try await rig.reply()
        #expect(refused["id"] == 3)
        #expect(refused["error"]?["code"] == -32004)
        // Nobody takes the tasks: both time out with a clear internal error, answered by their own ids.
        let first = try await rig.reply(), second = try await rig.reply()
        #expect(Set([first["id"], second["id"]].compactMap { $0?.intValue }) == [1, 2])
        #expect(first["error"]?["code"] == -32603)
        #expect(first["error"]?["data"]?.stringValue?.contains("no worker answered") == true)
    }

    @Test func rpcDiscoverReturnsTheShippedOpenRPCDocument() async throws {
        let rig = try SessionRig()
        rig.call("rpc.discover")
        let reply = try await rig.reply()
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("openrpc.json")
        let shipped = try JSONParser.parse(Array(try Data(contentsOf: file)))
        #expect(reply["result"] == shipped)
        #expect(reply["result"]?["methods"]?.arrayValue?.count == 5)
    }
}
