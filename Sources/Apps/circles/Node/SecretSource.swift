import Foundation

/// A secret given on the command line, in a file, or in an environment variable (in that order of
/// precedence). A file keeps it out of argv, which every user of the machine can read in /proc.
enum SecretSource {
    /// The secret, or nil when none of the three gives one; a file that cannot be read, or is empty,
    /// ends the command with exit code 2.
    static func resolve(flag: String?, file: String?, environment name: String, fileOption: String) -> String? {
        if let flag { return flag }
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                CommandLogging.fail("\(fileOption) \(file): cannot read the file", code: 2)
            }
            var status = stat()
            if stat(file, &status) == 0, status.st_mode & 0o077 != 0 {
                FileHandle.standardError.write(Data("circles: warning: \(file) is readable by other users (chmod 600 it)\n".utf8))
            }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { CommandLogging.fail("\(fileOption) \(file): the file is empty", code: 2) }
            return value
        }
        if let value = ProcessInfo.processInfo.environment[name], !value.isEmpty { return value }
        return nil
    }
}
