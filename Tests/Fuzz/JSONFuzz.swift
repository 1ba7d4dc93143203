/// libFuzzer harness: parses arbitrary bytes with both JSON parsers (the node's `JSONParser` and
/// Rhai's `parse_json`), and writes what they accept back out: a value that parsed must serialise,
/// and its text must parse again to the same value.
/// Built by scripts/fuzz.sh together with Sources/Apps/CirclesCore/JSON and Sources/Rhai as one module.
@_cdecl("LLVMFuzzerTestOneInput")
public func jsonFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if let json = try? JSONParser.parse(bytes) {
        let text = json.serialized
        guard let again = try? JSONParser.parse(text), again == json else { fatalError("JSON round trip failed: \(text)") }
    }
    let text = String(decoding: bytes, as: UTF8.self)
    if let value = try? Dynamic.parseJSON(text) {
        guard let written = try? value.jsonText(limit: 1 << 24) else { fatalError("parsed JSON does not serialise") }
        guard let again = try? Dynamic.parseJSON(written), again == value else { fatalError("Rhai JSON round trip failed: \(written)") }
    }
    return 0
}
