#if canImport(Glibc)
import Glibc
#endif
import Testing
import Supervision
import Threads

@Suite struct ChildSpawnTests {
    private func waitStatus(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return status
    }

    private func temporaryPath() -> String {
        var template = Array("/tmp/circles-spawn-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        close(fd)
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    @Test func redirectsTheStreamsAndReportsTheExitStatus() throws {
        let log = temporaryPath()
        defer { unlink(log) }
        let pid = try ChildSpawn.start(["/bin/sh", "-c", "read line; echo \"out $line\"; echo err >&2; exit 3"],
                                       stdin: "/etc/hostname", stdout: .file(log), stderr: .sameAs(1))
        let status = waitStatus(pid)
        #expect(status & 0x7f == 0 && (status >> 8) & 0xff == 3)
        let text = String(decoding: readFile(log), as: UTF8.self)
        #expect(text.hasPrefix("out ") && text.hasSuffix("err\n"))
    }

    @Test func extraVariablesAreAddedToTheInheritedEnvironment() throws {
        let log = temporaryPath()
        defer { unlink(log) }
        let pid = try ChildSpawn.start(["/usr/bin/env"], stdout: .file(log),
                                       environment: ["CIRCLES_SPAWN_TEST": "a=b c", "PATH": "/replaced"])
        _ = waitStatus(pid)
        let lines = String(decoding: readFile(log), as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.contains("CIRCLES_SPAWN_TEST=a=b c"))
        #expect(lines.filter { $0.hasPrefix("PATH=") } == ["PATH=/replaced"])
        // The rest of the parent's environment is inherited; the parent's own is untouched.
        if let home = getenv("HOME") { #expect(lines.contains("HOME=\(String(cString: home))")) }
        #expect(getenv("CIRCLES_SPAWN_TEST") == nil)
    }

    @Test func aChildCanHaveAProcessGroupOfItsOwn() throws {
        let pid = try ChildSpawn.start(["/bin/sleep", "30"], ownProcessGroup: true)
        defer { _ = waitStatus(pid) }
        #expect(getpgid(pid) == pid)
        #expect(getpgid(pid) != getpgrp())
        kill(pid, SIGTERM)
    }

    @Test func aMissingExecutableIsAFailureNamingIt() {
        #expect(throws: ChildSpawn.Failure.self) { try ChildSpawn.start(["/nonexistent/circles-nothing"]) }
        #expect(throws: ChildSpawn.Failure.self) { try ChildSpawn.start([]) }
    }

    private func readFile(_ path: String) -> [UInt8] {
        guard let file = fopen(path, "r") else { return [] }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        return bytes
    }
}
