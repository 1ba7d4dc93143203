import CirclesNode
import Foundation
import Testing
import TestSupport

/// openrpc.json (and the document `rpc.discover` answers) against the OpenRPC 1.x meta-schema,
/// checked by Python's jsonschema with the meta-schema vendored in Tests/Fixtures.
@Suite struct OpenRPCSchemaTests {
    static let fixtures = CommandResult.repository + "/Tests/Fixtures"

    static func validate(_ path: String) async throws -> CommandResult {
        try await CommandResult.run(try Executables.find("python3"),
                                    [fixtures + "/validate_openrpc.py", fixtures + "/openrpc-meta-schema.json", path])
    }

    @Test func theShippedDocumentIsValid() async throws {
        let result = try await Self.validate(CommandResult.repository + "/openrpc.json")
        #expect(result.code == 0, "\(result.out)\(result.err)")
    }

    @Test func theServedDocumentIsValidAndSaysByName() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-openrpc")
        try OpenRPCDocument.text.write(toFile: directory + "/served.json", atomically: true, encoding: .utf8)
        let result = try await Self.validate(directory + "/served.json")
        #expect(result.code == 0, "\(result.out)\(result.err)")
        let methods = OpenRPCDocument.json["methods"]?.arrayValue ?? []
        #expect(!methods.isEmpty)
        for method in methods { #expect(method["paramStructure"]?.stringValue == "by-name") }
        #expect(OpenRPCDocument.json["servers"]?.arrayValue?.isEmpty == false)
    }

    @Test func anErrorObjectWithADescriptionIsRefused() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-openrpc")
        let broken = OpenRPCDocument.text.replacingOccurrences(of: #"{"code":-32603,"message":"Internal error"}"#,
                                                              with: #"{"code":-32603,"message":"Internal error","description":"x"}"#)
        #expect(broken != OpenRPCDocument.text)
        try broken.write(toFile: directory + "/broken.json", atomically: true, encoding: .utf8)
        let result = try await Self.validate(directory + "/broken.json")
        #expect(result.code == 1)
        #expect(result.out.contains("errors"))
    }
}
