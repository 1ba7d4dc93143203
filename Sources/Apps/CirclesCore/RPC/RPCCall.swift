/// One element of an inbound message: a valid request, or the error response it earned while being read.
public enum RPCCall: Sendable, Hashable {
    case request(RPCRequest)
    case rejected(RPCResponse)
}
