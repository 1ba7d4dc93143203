import CirclesCore
import TestSupport
import Testing
@testable import CirclesNode

/// Policies (SPEC section 6, seed 003 §2.1): who may play, what each caller may use, owners.
@Suite struct CirclePolicyTests {
    static let circle = "02" + String(repeating: "ab", count: 32)
    static let stranger = "03" + String(repeating: "cd", count: 32)
    static let friend = "03" + String(repeating: "ef", count: 32)
    static let owner = "02" + String(repeating: "12", count: 32)

    let base: String
    init() throws {
        base = try TemporaryDirectory.make(prefix: "circles-policy")
    }

    func run(_ script: String, as caller: String, _ policy: CirclePolicy, timeout: Double? = nil) async -> TaskResult {
        let runner = ScriptRunner(dataDirectory: base, policies: { _ in policy })
        return await runner.run(ScriptTask(circle: Self.circle, caller: caller, script: script, createdAt: 0, timeout: timeout))
    }

    func kind(_ result: TaskResult) -> ScriptFailure.Kind? {
        if case .failure(let failure) = result.outcome { return failure.kind }
        return nil
    }

    /// Whether the circle's committed state holds `path`, as the circle itself sees it.
    func exists(_ path: String) async -> Bool {
        await run("list_data().contains(\"\(path)\")", as: Self.circle, CirclePolicy()).outcome == .success("true")
    }

    /// Seeds `path` as the circle itself (an owner).
    func seed(_ path: String) async {
        #expect(await run("save_data(\"\(path)\", 7)", as: Self.circle, CirclePolicy()).outcome == .success(""))
    }

    @Test func byDefaultStrangersPlayButTouchNoData() async {
        let policy = CirclePolicy()
        await seed("kept")
        #expect(await run("40 + 2", as: Self.stranger, policy).outcome == .success("42"))
        for script in [#"load_data("kept")"#, "list_data()", #"save_data("x", 1)"#, #"delete_data("kept")"#] {
            #expect(kind(await run(script, as: Self.stranger, policy)) == .denied, "\(script)")
        }
        #expect(await exists("kept"))
        #expect(!(await exists("x")))
    }

    @Test func aDenialCannotBeCaughtAndNothingAfterItRuns() async {
        let policy = CirclePolicy(grants: ["*": .dataWrite])
        let result = await run(#"try { load_data("kept") } catch { }; save_data("after", 1); "went on""#, as: Self.stranger, policy)
        #expect(kind(result) == .denied)
        if case .failure(let failure) = result.outcome { #expect(failure.message.contains("load_data")) }
        #expect(!(await exists("after")))
    }

    @Test func theReadGrantAllowsLoadAndList() async {
        await seed("kept")
        let policy = CirclePolicy(grants: [CirclePolicy.anyone: .dataRead])
        #expect(await run(#"load_data("kept")"#, as: Self.stranger, policy).outcome == .success("7"))
        #expect(await run("list_data()", as: Self.stranger, policy).outcome == .success(#"["kept"]"#))
        #expect(kind(await run(#"save_data("x", 1)"#, as: Self.stranger, policy)) == .denied)
        #expect(kind(await run(#"delete_data("kept")"#, as: Self.stranger, policy)) == .denied)
        #expect(await exists("kept"))
        #expect(!(await exists("x")))
    }

    @Test func theWriteGrantIsPerCaller() async {
        let policy = CirclePolicy(grants: [Self.friend: .dataWrite])
        #expect(await run(#"save_data("mine", 1)"#, as: Self.friend, policy).outcome == .success(""))
        #expect(kind(await run(#"save_data("theirs", 1)"#, as: Self.stranger, policy)) == .denied)
        #expect(kind(await run(#"load_data("mine")"#, as: Self.friend, policy)) == .denied, "write is not read")
        #expect(await exists("mine"))
        #expect(!(await exists("theirs")))
    }

    @Test func theDeleteGrantAllowsDeleteOnly() async {
        await seed("kept")
        let policy = CirclePolicy(grants: [Self.friend: .dataDelete])
        #expect(kind(await run(#"delete_data("kept")"#, as: Self.stranger, policy)) == .denied)
        #expect(await exists("kept"))
        #expect(await run(#"delete_data("kept")"#, as: Self.friend, policy).outcome == .success("true"))
        #expect(!(await exists("kept")))
    }

    @Test func ownersAndTheCircleItselfMayDoEverything() async {
        let policy = CirclePolicy(owners: [Self.owner], players: [Self.friend])
        let script = #"save_data("o", 1); let v = load_data("o"); delete_data("o"); list_data().len() + v"#
        #expect(await run(script, as: Self.owner, policy).outcome == .success("1"), "an owner plays even off the players list")
        #expect(await run(script, as: Self.circle, policy).outcome == .success("1"))
    }

    @Test func theStarPlayerAdmitsAnyCallerAndAListOnlyItsKeys() async {
        #expect(await run("1", as: Self.stranger, CirclePolicy(players: ["*"])).outcome == .success("1"))
        let closed = CirclePolicy(players: [Self.friend], grants: ["*": .all])
        #expect(await run("1", as: Self.friend, closed).outcome == .success("1"))
        let denied = await run(#"save_data("ran", 1)"#, as: Self.stranger, closed)
        #expect(kind(denied) == .denied)
        #expect(!(await exists("ran")), "a denied caller runs nothing")
    }

    @Test func configuredWebhookProvidersRunWithTheOwnersRights() async {
        let policy = CirclePolicy(webhookProviders: ["stripe"])
        #expect(await run(#"save_data("paid", 1); 1"#, as: "stripe", policy).outcome == .success("1"))
        #expect(kind(await run(#"save_data("paid2", 1)"#, as: "idenfy", policy)) == .denied)
    }

    @Test func aTaskCannotAskForMoreTimeThanItsCircleAllows() async {
        var policy = CirclePolicy()
        policy.limits.maxOperations = 0
        policy.limits.timeout = 0.3
        let clock = ContinuousClock()
        let started = clock.now
        let result = await run("loop { }", as: Self.stranger, policy, timeout: 3600)
        #expect(kind(result) == .timeout)
        #expect(clock.now - started < .seconds(60))
    }

    @Test func aRunnerDeniesCirclesItDoesNotServe() async {
        let runner = ScriptRunner(dataDirectory: base, circles: [Self.friend]) { _ in CirclePolicy() }
        let result = await runner.run(ScriptTask(circle: Self.circle, caller: Self.circle, script: "1", createdAt: 0))
        #expect(kind(result) == .denied)
    }

    @Test(arguments: [
        (#"{"players": ["*"], "grants": {"*": ["data.read"], "KEY": ["data.write", "data.delete"]}, "owners": ["OWNER"]}"#, true),
        (#"{"grants": {"*": ["data.launch"]}}"#, false),
        (#"{"owners": ["*"]}"#, false),
        (#"{"rules": []}"#, false),
    ])
    func launcherConfigPolicies(policy: String, valid: Bool) throws {
        let text = policy.replacingOccurrences(of: "KEY", with: Self.friend).replacingOccurrences(of: "OWNER", with: Self.owner)
        let json = try JSONParser.parse(#"[{"name": "a", "port": 1, "public_key": "\#(Self.circle)", "policy": \#(text)}]"#)
        do {
            let config = try LauncherConfig.parse(json, file: "c.json", directory: base, environment: [:])
            let parsed = try Launcher.policies(of: config, file: "c.json")[Self.circle]
            #expect(valid)
            #expect(parsed?.rights(of: Self.friend, in: Self.circle) == [.dataRead, .dataWrite, .dataDelete])
            #expect(parsed?.rights(of: Self.stranger, in: Self.circle) == .dataRead)
            #expect(parsed?.rights(of: Self.owner, in: Self.circle) == .all)
        } catch {
            #expect(!valid, "\(error)")
        }
    }
}
