/// A message with the reply of the `ask` that sent it, if any.
struct Envelope<Message: Sendable>: Sendable {
    var message: Message
    var reply: (any ReplyFailing)?
}
