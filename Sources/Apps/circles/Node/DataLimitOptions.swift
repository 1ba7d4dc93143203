import ArgumentParser
import CirclesNode

/// `--max-value-bytes`, `--max-data-paths`, `--max-data-bytes`: the bounds on each circle's stored data.
struct DataLimitOptions: ParsableArguments {
    @Option(help: "Largest value a script may store (bytes of its JSON text).") var maxValueBytes = DataLimits().maxValueBytes
    @Option(help: "Most paths a circle may store.") var maxDataPaths = DataLimits().maxPaths
    @Option(help: "Most bytes (paths and values) a circle may store.") var maxDataBytes = DataLimits().maxTotalBytes

    func validate() throws {
        guard maxValueBytes > 0, maxDataPaths > 0, maxDataBytes > 0 else {
            throw ValidationError("--max-value-bytes, --max-data-paths and --max-data-bytes must be positive")
        }
    }

    var limits: DataLimits { DataLimits(maxValueBytes: maxValueBytes, maxPaths: maxDataPaths, maxTotalBytes: maxDataBytes) }
}
