import Testing
@testable import CirclesCore

@Suite struct RPCMessageTests {
    private func single(_ text: String) -> RPCCall? {
        if case .single(let call) = RPCMessage.parse(text) { return call }
        return nil
    }

    @Test func readsARequestWithNamedParams() {
        let call = single(#"{"jsonrpc":"2.0","method":"play","params":{"script":"1+1"},"id":7}"#)
        #expect(call == .request(RPCRequest(method: "play", params: ["script": "1+1"], id: .int(7))))
    }

    @Test func aMissingIdIsANotification() {
        guard case .request(let request) = single(#"{"jsonrpc":"2.0","method":"whoami"}"#) else {
            Issue.record("not a request")
            return
        }
        #expect(request.isNotification)
    }

    @Test(arguments: [
        (#"{"jsonrpc":"2.0","method":1,"id":1}"#, RPCError.invalidRequestCode, RPCId.int(1)),
        (#"{"jsonrpc":"1.0","method":"x","id":"a"}"#, RPCError.invalidRequestCode, .string("a")),
        (#"{"jsonrpc":"2.0","method":"x","params":3,"id":2}"#, RPCError.invalidRequestCode, .int(2)),
        (#"{"jsonrpc":"2.0","method":"x","id":{}}"#, RPCError.invalidRequestCode, .null),
        (#"[]"#, RPCError.invalidRequestCode, .null),
        (#"42"#, RPCError.invalidRequestCode, .null),
        (#"{"jsonrpc":"2.0","method""#, RPCError.parseErrorCode, .null),
    ] as [(String, Int, RPCId)])
    func rejectsBadMessagesWithTheRightCode(text: String, code: Int, id: RPCId) {
        guard case .rejected(let response) = single(text), case .failure(let error) = response.outcome else {
            Issue.record("expected a rejection for \(text)")
            return
        }
        #expect(error.code == code)
        #expect(response.id == id)
    }

    @Test func batchesValidateEachElement() {
        guard case .batch(let calls) = RPCMessage.parse(#"[{"jsonrpc":"2.0","method":"a","id":1}, 5, {"jsonrpc":"2.0","method":"b"}]"#) else {
            Issue.record("not a batch")
            return
        }
        #expect(calls.count == 3)
        #expect(calls[0] == .request(RPCRequest(method: "a", id: .int(1))))
        #expect(calls[2] == .request(RPCRequest(method: "b", id: nil)))
        guard case .rejected = calls[1] else {
            Issue.record("5 is not a request")
            return
        }
        #expect(RPCMessage.encodeBatch([]) == nil)
    }

    @Test func responsesRoundTrip() throws {
        let ok = RPCResponse(id: .int(3), result: ["output": "2"])
        #expect(ok.json.serialized == #"{"jsonrpc":"2.0","result":{"output":"2"},"id":3}"#)
        #expect(RPCResponse(json: try JSONParser.parse(ok.json.serialized)) == ok)
        let failed = RPCResponse(id: .string("x"), error: .nonceExpired)
        #expect(failed.json.serialized == #"{"jsonrpc":"2.0","error":{"code":-32003,"message":"Nonce expired or unknown"},"id":"x"}"#)
        #expect(RPCResponse(json: try JSONParser.parse(failed.json.serialized)) == failed)
    }
}
