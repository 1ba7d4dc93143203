import ArgumentParser

/// `circles modules`: the modules in circles' state, which their scripts import.
struct ModulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modules",
        abstract: "Put, list and delete the Rhai modules in a circle's state (scripts import them; they cannot write them).",
        discussion: """
            A module NAME is the data path modules/NAME.rhai of the circle's state: the SQLite database under
            --data-dir (embedded mode; the node may be running), or the circle's Redis hash (with --redis-url or
            CIRCLES_REDIS_URL, seen by every worker on every machine; signed with the task secret, which workers
            check). Scripts import it with import "NAME" as m; m::f(), when the caller has the modules grant
            (owners always have it).

              circles modules put --circle 02ab… --data-dir ./data util lib/util.rhai
              CIRCLES_TASK_SECRET=… circles modules put --circle 02ab… --redis-url redis://127.0.0.1:6379 util lib/util.rhai
              circles modules list --circle 02ab… --redis-url redis://127.0.0.1:6379
              circles modules delete --circle 02ab… --data-dir ./data util
            """,
        subcommands: [ModulesPut.self, ModulesList.self, ModulesDelete.self]
    )
}
