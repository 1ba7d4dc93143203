import Foundation

/// Reads a whole input file, or stdin for `-`, on a thread of its own: a blocking read must not hold
/// one of the cooperative pool's threads.
enum InputFile {
    static func read(_ path: String) async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path)
                continuation.resume(returning: data.flatMap { String(data: $0, encoding: .utf8) })
            }
        }
    }
}
