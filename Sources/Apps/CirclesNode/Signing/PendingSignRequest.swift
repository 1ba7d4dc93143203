/// A `sendToSign` call waiting for the signer's answer.
struct PendingSignRequest {
    /// The connection the request went to.
    let connection: UInt64
    /// The bytes the signer was asked to sign.
    let message: [UInt8]
    /// Resumed once: with the answer's signature (checked by the caller), or with why there is none.
    let continuation: CheckedContinuation<Result<[UInt8], SigningError>, Never>
    /// Fails the request with `.timeout`.
    var timer: Task<Void, Never>?
}
