#if canImport(Glibc)
import Glibc
#endif
import CirclesCore

/// A circle's filesystem namespace, `{base}/{circle_pk}/{data,config,logs}`, and the data functions
/// scripts use in it. Every access walks the path with `openat(O_NOFOLLOW)`, so neither `..` nor a
/// symbolic link (even one planted later) can lead outside `data/`.
package struct PeerNamespace: Sendable {
    package static let maxFileSize = 4 << 20
    package static let maxPathLength = 512

    /// `{base}/{circle_pk}`, the value of `DB_PATH`.
    package let root: String
    package var dataDirectory: String { root + "/data" }

    /// Opens (creating on first use, mode 0700) the namespace of `circle` under `base`.
    package init(base: String, circle: String) throws(NamespaceError) {
        guard !circle.isEmpty, !circle.contains("/"), circle != "..", circle != "." else {
            throw .invalidPath(circle)
        }
        root = base.hasSuffix("/") ? base + circle : base + "/" + circle
        for directory in [base, root, root + "/data", root + "/config", root + "/logs"] {
            if mkdir(directory, 0o700) != 0, errno != EEXIST { throw .io(directory, errno: errno) }
        }
    }

    /// Reads the JSON document stored at `path`.
    package func load(_ path: String) throws(NamespaceError) -> JSON {
        let bytes = try readFile(path)
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw .invalidData("'\(path)' is not JSON: \(error)")
        }
    }

    /// Stores `value` at `path` atomically (temporary file, then rename), creating directories.
    package func save(_ path: String, _ value: JSON) throws(NamespaceError) {
        let components = try Self.components(of: path)
        var bytes: [UInt8] = []
        value.write(to: &bytes)
        guard bytes.count <= Self.maxFileSize else { throw .tooLarge(path, limit: Self.maxFileSize) }
        let directory = try openDirectory(components.dropLast(), create: true, path: path)
        defer { close(directory) }
        let name = components.last!
        let temporary = ".\(name).tmp\(getpid())"
        let fd = openat(directory, temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(path, errno: errno) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlinkat(directory, temporary, 0)
                throw .io(path, errno: code)
            }
            written += count
        }
        close(fd)
        var status = stat()
        if fstatat(directory, name, &status, AT_SYMLINK_NOFOLLOW) == 0, (status.st_mode & S_IFMT) == S_IFLNK {
            unlinkat(directory, temporary, 0)
            throw .symlinkRefused(path)
        }
        guard renameat(directory, temporary, directory, name) == 0 else {
            let code = errno
            unlinkat(directory, temporary, 0)
            throw .io(path, errno: code)
        }
    }

    /// Removes the data at `path`; false when there was none.
    @discardableResult
    package func delete(_ path: String) throws(NamespaceError) -> Bool {
        let components = try Self.components(of: path)
        let directory: Int32
        do {
            directory = try openDirectory(components.dropLast(), create: false, path: path)
        } catch .notFound {
            return false
        }
        defer { close(directory) }
        if unlinkat(directory, components.last!, 0) == 0 { return true }
        if errno == ENOENT { return false }
        throw .io(path, errno: errno)
    }

    /// Every stored path, relative to `data/`, sorted.
    package func list() throws(NamespaceError) -> [String] {
        let fd = open(dataDirectory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .io("data", errno: errno) }
        var paths: [String] = []
        try Self.collect(directory: fd, prefix: "", into: &paths, depth: 0)
        return paths.sorted()
    }

    /// Every data file of the earlier layout (JSON files under `data/`) with its bytes, for the one-time
    /// import into the circle's store.
    package func legacyFiles() throws(NamespaceError) -> [(path: String, bytes: [UInt8])] {
        var files: [(path: String, bytes: [UInt8])] = []
        for path in try list() { files.append((path, try readFile(path))) }
        return files
    }

    // MARK: - Walking

    static func components(of path: String) throws(NamespaceError) -> [String] {
        guard !path.isEmpty, path.utf8.count <= maxPathLength, !path.hasPrefix("/"), !path.utf8.contains(0),
            !path.contains("\\")
        else { throw .invalidPath(path) }
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !components.isEmpty,
            components.allSatisfy({ $0 != ".." && $0 != "." && !$0.hasPrefix(".") })
        else { throw .invalidPath(path) }
        return components
    }

    private func openDirectory(_ components: ArraySlice<String>, create: Bool, path: String) throws(NamespaceError) -> Int32 {
        var fd = open(dataDirectory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path, errno: errno) }
        for component in components {
            if create, mkdirat(fd, component, 0o700) != 0, errno != EEXIST {
                let code = errno
                close(fd)
                throw .io(path, errno: code)
            }
            let next = openat(fd, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let code = errno
            close(fd)
            guard next >= 0 else {
                switch code {
                case ELOOP, ENOTDIR: throw .symlinkRefused(path)
                case ENOENT: throw .notFound(path)
                default: throw .io(path, errno: code)
                }
            }
            fd = next
        }
        return fd
    }

    private func readFile(_ path: String) throws(NamespaceError) -> [UInt8] {
        let components = try Self.components(of: path)
        let directory = try openDirectory(components.dropLast(), create: false, path: path)
        let fd = openat(directory, components.last!, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        let code = errno
        close(directory)
        guard fd >= 0 else {
            switch code {
            case ENOENT: throw .notFound(path)
            case ELOOP: throw .symlinkRefused(path)
            default: throw .io(path, errno: code)
            }
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { throw .invalidData("'\(path)' is not a file") }
        guard Int(status.st_size) <= Self.maxFileSize else { throw .tooLarge(path, limit: Self.maxFileSize) }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            filled += count
        }
        return Array(bytes[..<filled])
    }

    private static func collect(directory fd: Int32, prefix: String, into paths: inout [String], depth: Int) throws(NamespaceError) {
        guard let stream = fdopendir(fd) else {
            close(fd)
            throw .io(prefix, errno: errno)
        }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): paths.append(prefix + name)
            case Int32(DT_DIR) where depth < 32:
                let child = openat(dirfd(stream), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if child >= 0 { try collect(directory: child, prefix: prefix + name + "/", into: &paths, depth: depth + 1) }
            default: continue
            }
        }
    }
}
