import ArgumentParser
import CirclesNode
import Foundation
import Supervision

/// `circles worker`: takes tasks from Redis and runs them in their circle's context.
struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run scripts queued in Redis (the rhailib protocol), for one circle or for all.",
        discussion: "SIGINT/SIGTERM: take no new tasks, finish the running ones, exit 0."
    )

    @Option(help: "redis://[:password@]host[:port][/db] (rediss:// for TLS)") var redisURL: String
    @Option(help: "Serve only this circle (compressed public key hex); default: every circle.") var circlePublicKey: String?
    @Option(help: "Base directory of the circles' data namespaces.") var dataDir = "./data"
    @Option(help: "Tasks run at once.") var concurrency = 4
    @Option(help: "Script threads.") var threads = 2

    func run() async throws {
        CommandLogging.bootstrap()
        let worker: StandaloneWorker
        do {
            worker = try StandaloneWorker(redisURL: redisURL, circle: circlePublicKey, dataDirectory: dataDir,
                                          concurrency: concurrency, threads: threads)
        } catch {
            CommandLogging.fail("\(error)", code: 2)
        }
        FileHandle.standardError.write(Data("circles: worker \(worker.id) taking tasks for \(circlePublicKey ?? "every circle")\n".utf8))
        do {
            try await worker.run(signals: [SIGINT, SIGTERM])
        } catch {
            CommandLogging.fail("\(error)", code: 1)
        }
    }
}
