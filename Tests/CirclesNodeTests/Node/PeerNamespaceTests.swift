#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing
import CirclesCore
@testable import CirclesNode

@Suite struct PeerNamespaceTests {
    let base: String
    let namespace: PeerNamespace

    init() throws {
        base = try TemporaryDirectory.make(prefix: "circles-ns")
        namespace = try PeerNamespace(base: base, circle: "02abc")
    }

    @Test func createsTheLayoutOnFirstUse() {
        for directory in ["data", "config", "logs"] {
            var status = stat()
            #expect(stat(namespace.root + "/" + directory, &status) == 0)
            #expect(status.st_mode & 0o777 == 0o700)
        }
        #expect(namespace.root == base + "/02abc")
    }

    @Test func savesLoadsListsAndDeletes() throws {
        let value: JSON = ["theme": "dark", "size": 3, "tags": ["a", "b"]]
        try namespace.save("prefs.json", value)
        try namespace.save("nested/deeper/item", [1, 2])
        #expect(try namespace.load("prefs.json") == value)
        #expect(try namespace.load("nested/deeper/item") == [1, 2])
        #expect(try namespace.list() == ["nested/deeper/item", "prefs.json"])
        try namespace.save("prefs.json", "replaced")
        #expect(try namespace.load("prefs.json") == "replaced")
        #expect(try namespace.delete("prefs.json"))
        #expect(try !namespace.delete("prefs.json"))
        #expect(throws: NamespaceError.notFound("prefs.json")) { try namespace.load("prefs.json") }
        #expect(throws: NamespaceError.notFound("missing/x")) { try namespace.load("missing/x") }
    }

    @Test(arguments: ["", "/etc/passwd", "../x", "a/../../x", "a/./b", "..", ".hidden", "a\\b", "a\u{0}b",
                      String(repeating: "a", count: 600)])
    func refusesPathsThatCouldEscape(path: String) {
        #expect(throws: NamespaceError.invalidPath(path)) { try namespace.load(path) }
        #expect(throws: NamespaceError.invalidPath(path)) { try namespace.save(path, 1) }
        #expect(throws: NamespaceError.invalidPath(path)) { try namespace.delete(path) }
    }

    @Test func neverFollowsSymbolicLinks() throws {
        let outside = base + "/outside"
        mkdir(outside, 0o700)
        try PeerNamespace(base: base, circle: "other").save("secret", "theirs")
        // A link to a directory outside, and a link to a file outside, planted in data/.
        #expect(symlink(outside, namespace.dataDirectory + "/escape") == 0)
        #expect(symlink(base + "/other/data/secret", namespace.dataDirectory + "/stolen") == 0)
        #expect(throws: NamespaceError.symlinkRefused("escape/x")) { try namespace.save("escape/x", 1) }
        #expect(throws: NamespaceError.symlinkRefused("stolen")) { try namespace.load("stolen") }
        #expect(throws: NamespaceError.symlinkRefused("stolen")) { try namespace.save("stolen", "overwrite") }
        #expect(try PeerNamespace(base: base, circle: "other").load("secret") == "theirs")
        var status = stat()
        #expect(stat(outside + "/x", &status) != 0)
        #expect(try namespace.list() == [])
    }

    @Test func refusesOversizedData() throws {
        let big = JSON.string(String(repeating: "x", count: PeerNamespace.maxFileSize))
        #expect(throws: NamespaceError.tooLarge("big", limit: PeerNamespace.maxFileSize)) { try namespace.save("big", big) }
    }

    @Test func rejectsNonJSONContent() throws {
        let fd = open(namespace.dataDirectory + "/raw", O_WRONLY | O_CREAT, 0o600)
        _ = "not json".withCString { write(fd, $0, 8) }
        close(fd)
        #expect(throws: NamespaceError.self) { try namespace.load("raw") }
    }

    @Test func refusesCircleNamesThatAreNotASingleComponent() {
        #expect(throws: NamespaceError.self) { try PeerNamespace(base: base, circle: "../x") }
        #expect(throws: NamespaceError.self) { try PeerNamespace(base: base, circle: "") }
    }
}
