#if canImport(Glibc)
import Glibc
#endif
import CirclesCore
import TestSupport
import Testing

/// Private key files: written 0600, and refused when their group or others may read or write them.
@Suite struct KeyFileTests {
    @Test(arguments: [0o640, 0o604, 0o620, 0o644, 0o666] as [mode_t])
    func aKeyFileOthersMayReachIsRefused(mode: mode_t) throws {
        let path = try TemporaryDirectory.make(prefix: "circles-keyfile") + "/me.key"
        let key = PrivateKey()
        try key.write(toFile: path)
        #expect(try PrivateKey(contentsOfFile: path).hex == key.hex)
        chmod(path, mode)
        #expect(throws: KeyFileError.exposed(path: path, mode: Int(mode))) { try PrivateKey(contentsOfFile: path) }
    }
}
